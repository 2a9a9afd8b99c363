// QUOTA (RFC 9208): GETQUOTAROOT and GETQUOTA report usage and limits; SETQUOTA is refused
// because limits are an administrator's decision (QUOTASET is not advertised).
import {
  AUTHENTICATED_STATES,
  bad,
  no,
  ok,
  type CommandHandler,
  type CommandSession,
} from '../command-handler.js';
import type { QuotaRoot } from '../backend.js';
import type { GetQuotaCommand, MailboxCommand, SetQuotaCommand } from '../parser/types.js';
import { mailboxFailure } from '../response-codes.js';
import { atom, mailbox } from '../writer/index.js';

/** `GETQUOTAROOT mailbox`: the roots of a mailbox, then each root's usage. */
export const getQuotaRoot: CommandHandler<MailboxCommand> = {
  states: AUTHENTICATED_STATES,
  async handle(session, command) {
    const user = session.user;
    if (!user) return bad('Not logged in');
    const roots = await session.backend.getQuotaRoots(user, command.mailbox);
    if ('ok' in roots) return mailboxFailure(roots.code);
    await session.untagged(atom('QUOTAROOT'), mailbox(command.mailbox), ...roots.map((root) => root.name));
    for (const root of roots) await writeQuota(session, root);
    return ok('GETQUOTAROOT completed');
  },
};

/** `GETQUOTA root`: one root's usage and limits. */
export const getQuota: CommandHandler<GetQuotaCommand> = {
  states: AUTHENTICATED_STATES,
  async handle(session, command) {
    const user = session.user;
    if (!user) return bad('Not logged in');
    const root = await session.backend.getQuota(user, command.root);
    if (!root) return no(`No quota root named "${command.root}"`, 'NONEXISTENT');
    await writeQuota(session, root);
    return ok('GETQUOTA completed');
  },
};

/** `SETQUOTA`: not for users. */
export const setQuota: CommandHandler<SetQuotaCommand> = {
  states: AUTHENTICATED_STATES,
  async handle() {
    return no('Quota limits are set by the administrator', 'NOPERM');
  },
};

async function writeQuota(session: CommandSession, root: QuotaRoot): Promise<void> {
  const resources = root.resources.flatMap((resource) => [
    atom(resource.name),
    resource.usage,
    resource.limit,
  ]);
  await session.untagged(atom('QUOTA'), root.name, resources);
}
