import { Readable } from 'node:stream';
import { Double, ObjectId, type Db, type Document } from 'mongodb';
import { appendMessage, createMailbox, findMailbox, recordChanges, toNumber } from '@wildduck/store';
import type { OwnStore } from './environment.js';
import { generateMessage, messageDate, type GeneratedMessage } from './messages.js';
import { formatDuration } from './report.js';

/**
 * Bulk seeding of our store, for the benchmarks that need many messages (a 100,000-message store,
 * a 50,000-message mailbox): through `appendMessage` that takes about 30 ms a message on FerretDB,
 * so most messages are copies.
 *
 * 1. TEMPLATES (200) distinct messages are delivered for real, one at a time, through the store API
 *    (`appendMessage`): the product's own code parses them and writes their documents, UIDs,
 *    MODSEQs, journal entries and counters. Around each delivery the mailbox document and the user
 *    document are read, and every numeric field that changed (storage used, and any count a later
 *    version keeps in them: messages, unseen, bytes …) gives that message's delta.
 * 2. The rest are copies of the template documents, `insertMany` 1,000 at a time, each with a new
 *    `_id`, `user`, `mailbox`, `uid` (the mailbox's next ones), `internalDate` and `created`, and
 *    so are the documents other collections keep under a template's `_id` (the store's search
 *    document of each message: found by looking for the first template's `_id` in every
 *    collection), with the same fields replaced where they have them; all
 *    copies of one batch share one new MODSEQ (one journal entry, kind EXISTS, as one APPEND of many
 *    messages would). After each batch the mailbox document gets `uidNext` += copies,
 *    `highestModseq` += 1 and the sum of its templates' deltas, the user document likewise.
 *
 * Message i of a seeded mailbox of n messages is template i % 200 (`generateMessage(i % 200, n)`:
 * sender i % 200, \Seen when i % 10 < 7, the rare body word when i % 100 = 7) with the internal date
 * `messageDate(i, n)`, so the generator's expected SEARCH matches hold (`search-large.ts`), and
 * `seedMessage` gives Dovecot exactly the same bytes, flags and dates.
 *
 * Not covered: counters a later version might keep outside the mailbox and user documents, and
 * templates with parts in GridFS (refused: copies would share the parts without a reference).
 */

export const TEMPLATES = 200;
const BATCH = 1000;
/** Counters handled apart (UIDs and MODSEQs are allocated for the copies), or not counters at all. */
const NOT_DELTAS = new Set(['uidNext', 'highestModseq', 'uidValidity']);

/** Message i of a seeded mailbox of `total` messages (see above). */
export function seedMessage(index: number, total: number, salt = 1): GeneratedMessage {
  const template = generateMessage(index % TEMPLATES, total, salt);
  return { ...template, date: messageDate(index, total) };
}

/** A delivered message whose document is copied, and what its delivery added to the counters. */
export interface Template {
  document: Document;
  /** Documents of other collections stored under the message's own `_id` (e.g. its search document), by collection. */
  companions: Map<string, Document>;
  mailboxDelta: Map<string, number>;
  userDelta: Map<string, number>;
}

/** Numeric leaves of a document, by dotted path (nested documents followed, arrays not). */
function numericLeaves(document: Document | null, prefix = '', out = new Map<string, number>()) {
  if (!document) return out;
  for (const [key, value] of Object.entries(document)) {
    if (key === '_id') continue;
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'number') out.set(path, value);
    else if (value && typeof value === 'object' && '_bsontype' in value) {
      const type = (value as { _bsontype: string })._bsontype;
      if (type === 'Double' || type === 'Int32' || type === 'Long') out.set(path, toNumber(value));
    } else if (value && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date))
      numericLeaves(value as Document, path, out);
  }
  return out;
}

function delta(before: Document | null, after: Document | null): Map<string, number> {
  const a = numericLeaves(before);
  const changes = new Map<string, number>();
  for (const [path, value] of numericLeaves(after)) {
    if (NOT_DELTAS.has(path)) continue;
    const difference = value - (a.get(path) ?? 0);
    // a layout mark (e.g. searchVersion) set by the first delivery is not a per-message count
    if (!a.has(path) && /version/i.test(path)) continue;
    if (difference !== 0) changes.set(path, difference);
  }
  return changes;
}

/** Delivers the templates one at a time through `appendMessage`, measuring each one's deltas. */
export async function deliverTemplates(
  store: OwnStore,
  user: ObjectId,
  mailbox: ObjectId,
  messages: readonly GeneratedMessage[],
): Promise<Template[]> {
  const templates: Template[] = [];
  const { db } = store;
  // collections that hold a document under a delivered message's _id (found with the first template)
  let companionCollections: string[] | undefined;
  for (const message of messages) {
    const mailboxBefore = await db.collection('mailboxes').findOne({ _id: mailbox });
    const userBefore = await db.collection('users').findOne({ _id: user });
    const outcome = await appendMessage(store.ctx, user, mailbox, Readable.from([message.bytes]), {
      flags: message.flags,
      internalDate: message.date,
    });
    if (!outcome.ok) throw new Error(`appendMessage of a template failed: ${outcome.code}`);
    const document = await db.collection('messages').findOne({ _id: outcome.id });
    if (!document) throw new Error(`the template message ${outcome.id.toHexString()} is not in the store`);
    if (Array.isArray(document.parts) && document.parts.length)
      throw new Error('a template message has parts in GridFS: copies cannot share them');
    if (!companionCollections) {
      companionCollections = [];
      for (const { name } of await db.listCollections({}, { nameOnly: true }).toArray())
        if (name !== 'messages' && (await db.collection(name).findOne({ _id: outcome.id })))
          companionCollections.push(name);
    }
    const companions = new Map<string, Document>();
    for (const name of companionCollections) {
      const companion = await db.collection(name).findOne({ _id: outcome.id });
      if (companion) companions.set(name, companion);
    }
    templates.push({
      document,
      companions,
      mailboxDelta: delta(mailboxBefore, await db.collection('mailboxes').findOne({ _id: mailbox })),
      userDelta: delta(userBefore, await db.collection('users').findOne({ _id: user })),
    });
  }
  return templates;
}

function addDeltas(into: Map<string, number>, from: Map<string, number>): void {
  for (const [path, value] of from) into.set(path, (into.get(path) ?? 0) + value);
}

/**
 * Copies into `mailbox` of `user` messages `from` … `to - 1` of a seeded mailbox of `total`
 * (template index % templates.length, internal date messageDate(index, total)), BATCH at a time.
 */
export async function copyTemplates(
  db: Db,
  templates: readonly Template[],
  user: ObjectId,
  mailbox: ObjectId,
  range: { from: number; to: number; total: number },
): Promise<number> {
  let copied = 0;
  for (let start = range.from; start < range.to; start += BATCH) {
    const end = Math.min(range.to, start + BATCH);
    const box = await db.collection('mailboxes').findOne({ _id: mailbox });
    if (!box) throw new Error(`mailbox ${mailbox.toHexString()} is gone`);
    const firstUid = toNumber(box.uidNext);
    const modseq = toNumber(box.highestModseq) + 1;
    const mailboxInc = new Map<string, number>();
    const userInc = new Map<string, number>();
    const documents: Document[] = [];
    const companions = new Map<string, Document[]>();
    for (let index = start; index < end; index++) {
      const template = templates[index % templates.length]!;
      addDeltas(mailboxInc, template.mailboxDelta);
      addDeltas(userInc, template.userDelta);
      const copy = {
        _id: new ObjectId(),
        user,
        mailbox,
        uid: firstUid + documents.length,
        modseq: new Double(modseq),
        internalDate: messageDate(index, range.total),
      };
      documents.push({ ...template.document, ...copy, created: new Date() });
      // the same fields, where the companion has them
      for (const [name, companion] of template.companions) {
        const list = companions.get(name) ?? [];
        list.push({
          ...companion,
          ...Object.fromEntries(Object.entries(copy).filter(([key]) => key in companion)),
        });
        companions.set(name, list);
      }
    }
    await db.collection('messages').insertMany(documents, { ordered: false });
    for (const [name, list] of companions) await db.collection(name).insertMany(list, { ordered: false });
    await db
      .collection('mailboxes')
      .updateOne(
        { _id: mailbox },
        { $inc: { uidNext: documents.length, highestModseq: 1, ...Object.fromEntries(mailboxInc) } },
      );
    if (userInc.size)
      await db.collection('users').updateOne({ _id: user }, { $inc: Object.fromEntries(userInc) });
    const last = documents[documents.length - 1]!;
    await recordChanges(db, [
      { mailbox, user, modseq, kind: 'EXISTS', uid: last.uid as number, flags: last.flags as string[] },
    ]);
    copied += documents.length;
  }
  return copied;
}

/** What a seeded layout is; a stored marker that differs (or none) means: drop and seed again. */
export interface SeedLayout {
  /** The marker's _id in `bench_markers`. */
  name: string;
  /** Anything that must match for the seeded data to be reused. */
  shape: Record<string, number | string>;
}

interface Marker {
  _id: string;
  shape: Record<string, number | string>;
  seconds: number;
  completed: Date;
}

/** For `openOwnTarget`'s `beforeUsers`: drops the database unless it holds a complete seeding of this layout. */
export async function dropUnlessSeeded(
  db: Db,
  layout: SeedLayout,
  log: (line: string) => void,
): Promise<Marker | undefined> {
  const marker = await db.collection<Marker>('bench_markers').findOne({ _id: layout.name });
  if (marker && JSON.stringify(marker.shape) === JSON.stringify(layout.shape)) return marker;
  const collections = await db.listCollections({}, { nameOnly: true }).toArray();
  if (collections.length) {
    log(
      `  ${db.databaseName}: ${marker ? `seeded for ${JSON.stringify(marker.shape)}` : 'no complete seeding'}; dropping it to seed ${JSON.stringify(layout.shape)}`,
    );
    await db.dropDatabase();
  }
  return undefined;
}

export async function writeMarker(db: Db, layout: SeedLayout, seconds: number): Promise<void> {
  await db
    .collection<Marker>('bench_markers')
    .replaceOne(
      { _id: layout.name },
      { shape: layout.shape, seconds, completed: new Date() },
      { upsert: true },
    );
}

/**
 * Seeds one mailbox of `total` messages for user n (created unless it is INBOX): the templates
 * delivered into it, the rest copied. Returns the templates, for copies elsewhere.
 */
export async function seedMailbox(
  store: OwnStore,
  n: number,
  mailboxName: string,
  total: number,
  log: (line: string) => void,
): Promise<Template[]> {
  const user = store.userId(n);
  let box = await findMailbox(store.db, user, mailboxName);
  if (!box) {
    const created = await createMailbox(store.db, user, mailboxName);
    if (!created.ok) throw new Error(`cannot create mailbox ${mailboxName}: ${created.code}`);
    box = await findMailbox(store.db, user, mailboxName);
  }
  const mailbox = box!._id!;
  const count = Math.min(TEMPLATES, total);
  const started = performance.now();
  const templates = await deliverTemplates(
    store,
    user,
    mailbox,
    Array.from({ length: count }, (_, index) => seedMessage(index, total)),
  );
  log(
    `  ${count} template messages delivered through appendMessage into ${mailboxName} of user ${n} (${formatDuration(performance.now() - started)})`,
  );
  await copyWithProgress(store.db, templates, user, mailbox, { from: count, to: total, total }, log);
  return templates;
}

export async function copyWithProgress(
  db: Db,
  templates: readonly Template[],
  user: ObjectId,
  mailbox: ObjectId,
  range: { from: number; to: number; total: number },
  log: (line: string) => void,
): Promise<void> {
  const started = performance.now();
  let done = 0;
  const timer = setInterval(() => log(`    copied ${done}/${range.to - range.from}`), 15_000);
  try {
    for (let from = range.from; from < range.to; from += 5 * BATCH)
      done += await copyTemplates(db, templates, user, mailbox, {
        from,
        to: Math.min(range.to, from + 5 * BATCH),
        total: range.total,
      });
  } finally {
    clearInterval(timer);
  }
  if (done)
    log(
      `  ${done} copies inserted (${formatDuration(performance.now() - started)}, ${BATCH} per insertMany)`,
    );
}
