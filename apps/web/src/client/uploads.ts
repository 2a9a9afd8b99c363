// Attachment uploads from the browser: POST /api/uploads on this site, which streams the file
// to the API's POST /uploads with the user's token and answers the upload's id.
import type { Upload } from './api-types';
import { endExpiredSession, GraphQLRequestError, proxiedFileUrl } from './graphql';

/** Uploads one file; throws GraphQLRequestError with a readable message. */
export async function uploadFile(file: Blob, filename: string): Promise<Upload> {
  let response: Response;
  try {
    response = await fetch('/api/uploads', {
      method: 'POST',
      headers: {
        // Header values are Latin-1, so the name travels percent-encoded (the API decodes it).
        'x-filename': encodeURIComponent(filename),
        'content-type': file.type || 'application/octet-stream',
      },
      body: file,
    });
  } catch {
    throw new GraphQLRequestError(
      `${filename} could not be uploaded: the web server did not answer.`,
      'NETWORK',
    );
  }
  const body = (await response.json().catch(() => null)) as
    (Upload & { error?: string; errors?: { message: string }[] }) | null;
  if (response.status === 401) {
    endExpiredSession();
    throw new GraphQLRequestError('Your session has ended. Sign in again to continue.', 'UNAUTHENTICATED');
  }
  if (!response.ok || !body?.id) {
    const reason = body?.error ?? body?.errors?.[0]?.message ?? `HTTP ${response.status}`;
    throw new GraphQLRequestError(`${filename} could not be uploaded: ${reason}`, 'UPLOAD_FAILED');
  }
  return body;
}

/** Downloads an attachment of a stored message and uploads it again (forwarding, drafts). */
export async function reuploadAttachment(downloadUrl: string, filename: string): Promise<Upload> {
  let response: Response;
  try {
    response = await fetch(proxiedFileUrl(downloadUrl));
  } catch {
    throw new GraphQLRequestError(
      `${filename} could not be fetched: the web server did not answer.`,
      'NETWORK',
    );
  }
  if (!response.ok)
    throw new GraphQLRequestError(`${filename} could not be fetched (HTTP ${response.status}).`, 'NOT_FOUND');
  return uploadFile(await response.blob(), filename);
}
