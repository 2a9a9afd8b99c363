// The command table: which handler runs each parsed command name.
import type { CommandHandler } from '../command-handler.js';
import type { ImapCommand } from '../parser/types.js';
import { deleteAcl, getAcl, listRights, myRights, setAcl } from './acl.js';
import { append } from './append.js';
import { authenticate } from './authenticate.js';
import { capability } from './capability.js';
import { check } from './check.js';
import { close } from './close.js';
import { compress } from './compress.js';
import { copy } from './copy.js';
import { create } from './create.js';
import { deleteMailbox } from './delete.js';
import { enable } from './enable.js';
import { expunge } from './expunge.js';
import { fetch } from './fetch.js';
import { id } from './id.js';
import { idle } from './idle.js';
import { listMailboxes } from './list.js';
import { login } from './login.js';
import { logout } from './logout.js';
import { lsub } from './lsub.js';
import { namespace } from './namespace.js';
import { noop } from './noop.js';
import { notify } from './notify.js';
import { getQuota, getQuotaRoot, setQuota } from './quota.js';
import { rename } from './rename.js';
import { search } from './search.js';
import { select } from './select.js';
import { sort } from './sort.js';
import { starttls } from './starttls.js';
import { status } from './status.js';
import { store } from './store.js';
import { subscribe } from './subscribe.js';
import { thread } from './thread.js';
import { unauthenticate } from './unauthenticate.js';
import { unselect } from './unselect.js';

/** Each command name mapped to the handler of that command (typed per command). */
type HandlerTable = { [Name in ImapCommand['name']]: CommandHandler<Extract<ImapCommand, { name: Name }>> };

/** Every command this server implements. */
export const COMMAND_HANDLERS: Readonly<HandlerTable> = {
  CAPABILITY: capability,
  NOOP: noop,
  LOGOUT: logout,
  STARTTLS: starttls,
  LOGIN: login,
  AUTHENTICATE: authenticate,
  ENABLE: enable,
  ID: id,
  COMPRESS: compress,
  UNAUTHENTICATE: unauthenticate,
  NAMESPACE: namespace,
  SELECT: select,
  EXAMINE: select,
  CREATE: create,
  DELETE: deleteMailbox,
  RENAME: rename,
  SUBSCRIBE: subscribe,
  UNSUBSCRIBE: subscribe,
  LIST: listMailboxes,
  LSUB: lsub,
  STATUS: status,
  APPEND: append,
  CHECK: check,
  CLOSE: close,
  UNSELECT: unselect,
  EXPUNGE: expunge,
  SEARCH: search,
  SORT: sort,
  THREAD: thread,
  FETCH: fetch,
  STORE: store,
  COPY: copy,
  MOVE: copy,
  IDLE: idle,
  GETQUOTAROOT: getQuotaRoot,
  GETQUOTA: getQuota,
  SETQUOTA: setQuota,
  SETACL: setAcl,
  DELETEACL: deleteAcl,
  GETACL: getAcl,
  LISTRIGHTS: listRights,
  MYRIGHTS: myRights,
  NOTIFY: notify,
};
