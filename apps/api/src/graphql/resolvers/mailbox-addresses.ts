/**
 * Resolvers of schema/mailbox-addresses.ts (team inboxes): every field needs an administrator. The
 * store decides what is taken (mailbox-addresses.ts); here input is checked and failures named.
 */
import type { IResolvers } from '@graphql-tools/utils';
import type { Db } from 'mongodb';
import {
  AddressTakenError,
  createMailboxAddress,
  deleteMailboxAddress,
  findUserById,
  listMailboxAddressesOfUser,
  listMailboxes,
  parseObjectId,
  StoreError,
  type MailboxAddressDocument,
  type UserDocument,
} from '@wildduck/store';
import { checkAddress, InputError } from '../../auth/user-input.js';
import type { GraphQLContext } from '../context.js';
import { badInput, notFound } from '../errors.js';
import { requireAdmin } from '../viewer.js';

/** A MailboxAddress as the schema answers it. */
interface MailboxAddressView {
  address: string;
  mailboxId: string;
  mailboxPath: string;
  ownerAddress: string;
  created: Date;
}

/** The address argument, lower-cased, or BAD_USER_INPUT naming `address`. */
function addressArgument(value: unknown): string {
  try {
    return checkAddress(value, 'address');
  } catch (error) {
    if (error instanceof InputError) throw badInput(error.problem.message, error.problem.field);
    throw error;
  }
}

/** The addresses of one owner with their mailboxes' paths (one read of the owner's mailboxes). */
async function describe(
  db: Db,
  owner: UserDocument,
  addresses: readonly MailboxAddressDocument[],
): Promise<MailboxAddressView[]> {
  const paths = new Map(
    (await listMailboxes(db, owner._id)).map((box) => [box._id!.toHexString(), box.path]),
  );
  // an address whose mailbox is being deleted right now is left out (its deletion removes it next)
  return addresses.flatMap((entry) => {
    const path = paths.get(entry.mailbox.toHexString());
    return path === undefined
      ? []
      : [
          {
            address: entry.address,
            mailboxId: entry.mailbox.toHexString(),
            mailboxPath: path,
            ownerAddress: owner.address,
            created: entry.created,
          },
        ];
  });
}

export const mailboxAddressResolvers: IResolvers<unknown, GraphQLContext> = {
  Query: {
    async adminMailboxAddresses(_root, args: { userId: string }, ctx: GraphQLContext) {
      requireAdmin(ctx.viewer);
      const id = parseObjectId(args.userId);
      if (!id) throw badInput('"userId" must be a user id (24 hex digits)', 'userId');
      const owner = await findUserById(ctx.db, id);
      if (!owner) throw notFound('No such user');
      return describe(ctx.db, owner, await listMailboxAddressesOfUser(ctx.db, id));
    },
  },

  Mutation: {
    async adminCreateMailboxAddress(
      _root,
      args: { address: string; mailboxId: string },
      ctx: GraphQLContext,
    ): Promise<MailboxAddressView> {
      requireAdmin(ctx.viewer);
      const address = addressArgument(args.address);
      const mailbox = parseObjectId(args.mailboxId);
      if (!mailbox) throw badInput('"mailboxId" must be a mailbox id (24 hex digits)', 'mailboxId');
      let created: MailboxAddressDocument;
      try {
        created = await createMailboxAddress(ctx.db, { address, mailbox });
      } catch (error) {
        if (error instanceof AddressTakenError) throw badInput(error.message, 'address');
        if (error instanceof StoreError && error.code === 'MAILBOX_NOT_FOUND')
          throw badInput('No such mailbox', 'mailboxId');
        throw error;
      }
      ctx.logger.info({ address, mailbox: args.mailboxId }, 'mailbox address created');
      const owner = await findUserById(ctx.db, created.user);
      const [view] = owner ? await describe(ctx.db, owner, [created]) : [];
      // deleted meanwhile, with the address
      if (!view) throw badInput('No such mailbox', 'mailboxId');
      return view;
    },

    async adminDeleteMailboxAddress(_root, args: { address: string }, ctx: GraphQLContext) {
      requireAdmin(ctx.viewer);
      const address = addressArgument(args.address);
      const deleted = await deleteMailboxAddress(ctx.db, address);
      if (deleted) ctx.logger.info({ address }, 'mailbox address deleted');
      return deleted;
    },
  },
};
