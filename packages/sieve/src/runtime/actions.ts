/**
 * The action list of one run (RFC 5228 2.10): the implicit keep, duplicate collapsing (2.10.3:
 * keep and fileinto "INBOX" are one delivery; the last flags win, RFC 5232 3), the limits on
 * redirects and actions (2.10.4, 10), and the conflicts of reject (RFC 5429 2.4) and vacation
 * (RFC 5230 4.7). A conflict or a limit is a SieveRuntimeError at the command that broke it.
 */
import type { SourcePosition } from '../errors.js';
import { SieveRuntimeError, type SieveAction } from '../interpreter-types.js';
import { sameAddress } from './addresses.js';

type Vacation = Extract<SieveAction, { type: 'vacation' }>;

export interface ActionLimits {
  maxRedirects: number;
  maxActions: number;
}

function isInbox(mailbox: string): boolean {
  return mailbox.toUpperCase() === 'INBOX';
}

export class ActionList {
  readonly actions: SieveAction[] = [];
  implicitKeep = true;
  private rejectSeen = false;
  private vacationSeen = false;
  private deliverySeen = false;

  constructor(private readonly limits: ActionLimits) {}

  keep(flags: string[], position: SourcePosition): void {
    this.delivering('keep', position);
    this.implicitKeep = false;
    this.addKeep(flags, position);
  }

  fileinto(mailbox: string, flags: string[], create: boolean, copy: boolean, position: SourcePosition): void {
    this.delivering('fileinto', position);
    if (!copy) this.implicitKeep = false;
    if (isInbox(mailbox)) {
      this.addKeep(flags, position);
      return;
    }
    const existing = this.actions.find(
      (action): action is Extract<SieveAction, { type: 'fileinto' }> =>
        action.type === 'fileinto' && action.mailbox === mailbox,
    );
    if (existing) {
      existing.flags = flags;
      existing.create ||= create;
      return;
    }
    this.push({ type: 'fileinto', mailbox, flags, create }, position);
  }

  redirect(address: string, copy: boolean, position: SourcePosition): void {
    this.delivering('redirect', position);
    if (!copy) this.implicitKeep = false;
    if (this.actions.some((action) => action.type === 'redirect' && sameAddress(action.address, address)))
      return;
    const redirects = this.actions.filter((action) => action.type === 'redirect').length;
    if (redirects >= this.limits.maxRedirects) {
      throw new SieveRuntimeError(`more than ${this.limits.maxRedirects} redirects`, position);
    }
    this.push({ type: 'redirect', address }, position);
  }

  discard(position: SourcePosition): void {
    this.implicitKeep = false;
    if (!this.actions.some((action) => action.type === 'discard')) this.push({ type: 'discard' }, position);
  }

  reject(reason: string, extended: boolean, position: SourcePosition): void {
    const name = extended ? 'ereject' : 'reject';
    if (this.rejectSeen) throw new SieveRuntimeError(`"${name}" may run only once`, position);
    if (this.deliverySeen) {
      throw new SieveRuntimeError(`"${name}" cannot be combined with keep, fileinto or redirect`, position);
    }
    if (this.vacationSeen)
      throw new SieveRuntimeError(`"${name}" cannot be combined with vacation`, position);
    this.rejectSeen = true;
    this.implicitKeep = false;
    this.push({ type: 'reject', reason, extended }, position);
  }

  /** `reply` is null when the vacation rules forbid a reply: the command still counts as run. */
  vacation(reply: Omit<Vacation, 'type'> | null, position: SourcePosition): void {
    if (this.vacationSeen) throw new SieveRuntimeError('"vacation" may run only once', position);
    if (this.rejectSeen) throw new SieveRuntimeError('"vacation" cannot be combined with reject', position);
    this.vacationSeen = true;
    if (reply) this.push({ type: 'vacation', ...reply }, position);
  }

  /** Ends the run: the implicit keep, if nothing cancelled it, joins the list as a keep. */
  finish(flags: string[]): { actions: SieveAction[]; implicitKeep: boolean } {
    if (this.implicitKeep) {
      const existing = this.actions.find((action) => action.type === 'keep');
      if (existing) existing.flags = flags;
      else this.actions.push({ type: 'keep', flags });
    }
    return { actions: this.actions, implicitKeep: this.implicitKeep };
  }

  private delivering(name: string, position: SourcePosition): void {
    if (this.rejectSeen) throw new SieveRuntimeError(`"${name}" cannot be combined with reject`, position);
    this.deliverySeen = true;
  }

  private addKeep(flags: string[], position: SourcePosition): void {
    const existing = this.actions.find((action) => action.type === 'keep');
    if (existing) existing.flags = flags;
    else this.push({ type: 'keep', flags }, position);
  }

  private push(action: SieveAction, position: SourcePosition): void {
    if (this.actions.length >= this.limits.maxActions) {
      throw new SieveRuntimeError(`more than ${this.limits.maxActions} actions`, position);
    }
    this.actions.push(action);
  }
}
