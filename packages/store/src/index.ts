export { connectStore, type StoreConnection } from './database.js';
export { createUser, findUserByAddress, type NewUser, type UserDocument } from './users.js';
export { DEFAULT_MAILBOXES, createDefaultMailboxes, listMailboxes, newMailboxDocument, type MailboxDocument } from './mailboxes.js';
export { hashPassword, verifyPassword } from './passwords.js';
export { normalizeAddress } from './address.js';
export { StoreError, UserExistsError, isDuplicateKeyError } from './errors.js';
