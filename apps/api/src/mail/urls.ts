/** Download links of the user routes (apps/api/src/rest/downloads.ts), under the API's public URL. */

function base(publicUrl: string): string {
  return publicUrl.replace(/\/+$/, '');
}

/** GET: the message as stored (message/rfc822). */
export function rawMessageUrl(publicUrl: string, messageId: string): string {
  return `${base(publicUrl)}/messages/${messageId}/raw`;
}

/** GET: one part of a message, transfer-decoded. */
export function attachmentUrl(publicUrl: string, messageId: string, part: string): string {
  return `${base(publicUrl)}/messages/${messageId}/attachments/${part}`;
}
