// The drag data types of the webmail: a message row dragged onto a folder moves it there; a folder
// dragged onto another (or onto "Top level") moves the folder.

/** A message row (its id). */
export const MESSAGE_DRAG_TYPE = 'application/x-wildduck-message';

/** A folder (its id). */
export const FOLDER_DRAG_TYPE = 'application/x-wildduck-folder';
