import { ObjectId } from 'mongodb';
import {
  specialUseMailbox as findOrCreateSpecialUse,
  JunkReporter,
  type MailContext,
} from '@wildduck/mail-service';
import type { SubmitDeps } from '@wildduck/delivery';
import { notFoundFailure } from '../failures.js';
import type { ApiServices } from '../services.js';

/** The signed-in user a mail action is done for. */
export interface MailAccount {
  userId: ObjectId;
  address: string;
}

/** The mail service's context for an API call: writes are stored, journalled and announced there. */
export function mailContextOf(services: ApiServices): MailContext {
  return {
    ctx: services.store,
    bus: services.bus,
    junkReporter: new JunkReporter({
      ctx: services.store,
      bus: services.bus,
      ...(services.webhooks ? { webhooks: services.webhooks } : {}),
      apiUrl: services.publicUrl,
      logger: services.logger,
    }),
  };
}

/** What submitting a message (GraphQL send) needs. */
export function submitDepsOf(services: ApiServices): SubmitDeps {
  return {
    ctx: services.store,
    bus: services.bus,
    serverName: services.serverName,
    ...(services.smarthost ? { smarthost: services.smarthost } : {}),
    onStoreError: (error: unknown) => services.logger.warn({ err: error }, 'storing a sent message failed'),
    ...(services.adminEvents ? { adminEvents: services.adminEvents.withProtocol('api') } : {}),
  };
}

/** The user's mailbox with this SPECIAL-USE attribute, made again under `path` if it was deleted. */
export async function specialUseMailboxOf(
  services: ApiServices,
  user: ObjectId,
  specialUse: string,
  path: string,
): Promise<ObjectId> {
  const mailbox = await findOrCreateSpecialUse(mailContextOf(services), user, specialUse, path);
  if (!mailbox) throw new Error(`the ${specialUse} mailbox could neither be found nor made`);
  return mailbox;
}

/** An id as sent by the client; one that cannot be an id is not found, like another user's. */
export function parseId(id: string, notFoundMessage: string, field: string): ObjectId {
  if (!/^[0-9a-f]{24}$/i.test(id)) throw notFoundFailure(notFoundMessage, field);
  return new ObjectId(id);
}
