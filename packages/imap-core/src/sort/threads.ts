// THREAD (RFC 5256 section 4): the ORDEREDSUBJECT and REFERENCES algorithms over the messages'
// sort records, and the thread-list the response carries. Pure: no I/O, no store.
import type { SortRecord } from '../backend.js';
import type { ThreadAlgorithm } from '../parser/types.js';
import { asciiCasemap, baseSubject } from './base-subject.js';
import { sentDate } from './sort-messages.js';

/** A node of a thread tree; `uid` is null for a dummy (a message referred to but not present). */
export interface ThreadNode {
  uid: number | null;
  children: ThreadNode[];
}

/** The threads of `records` (any order) by `algorithm`, in the order the response lists them. */
export function threadMessages(records: readonly SortRecord[], algorithm: ThreadAlgorithm): ThreadNode[] {
  const inOrder = [...records].sort((a, b) => a.uid - b.uid);
  return algorithm === 'ORDEREDSUBJECT' ? orderedSubject(inOrder) : references(inOrder);
}

/**
 * `(1 2 (3)(4 5))`: a node's only child follows it in the same list; several children each get a
 * list of their own; a dummy shows only its children. `number` maps a UID to what is printed.
 */
export function formatThreads(threads: readonly ThreadNode[], number: (uid: number) => number): string {
  const list = (node: ThreadNode): string => {
    const members: string[] = [];
    let current = node;
    for (;;) {
      if (current.uid !== null) members.push(String(number(current.uid)));
      if (current.children.length === 1 && current.uid !== null) {
        current = current.children[0] as ThreadNode;
        continue;
      }
      if (current.children.length) members.push(current.children.map(list).join(''));
      break;
    }
    return `(${members.join(' ')})`;
  };
  return threads.map(list).join('');
}

// --- ORDEREDSUBJECT ---------------------------------------------------------------------------

/**
 * Messages grouped by base subject; within a group, sorted by sent date, the first is the parent
 * of all the others; groups ordered by the sent date of their first message.
 */
function orderedSubject(records: readonly SortRecord[]): ThreadNode[] {
  const groups = new Map<string, SortRecord[]>();
  for (const record of records) {
    const key = asciiCasemap(baseSubject(record.subject).base);
    const group = groups.get(key);
    if (group) group.push(record);
    else groups.set(key, [record]);
  }
  const threads = [...groups.values()].map((group) => group.sort(byDate));
  threads.sort((a, b) => byDate(a[0] as SortRecord, b[0] as SortRecord));
  return threads.map(([first, ...rest]) => ({
    uid: (first as SortRecord).uid,
    children: rest.map((record) => ({ uid: record.uid, children: [] })),
  }));
}

function byDate(a: SortRecord, b: SortRecord): number {
  return sentDate(a) - sentDate(b) || a.uid - b.uid;
}

// --- REFERENCES -------------------------------------------------------------------------------

/** A message or dummy during threading (RFC 5256 4, REFERENCES). */
interface Container {
  record: SortRecord | null;
  parent: Container | null;
  children: Container[];
}

/** The first `<...>` of a header value, or null when there is none. */
function firstMessageId(value: string): string | null {
  return /<[^<>\s]+>/.exec(value)?.[0] ?? null;
}

function references(records: readonly SortRecord[]): ThreadNode[] {
  const byId = new Map<string, Container>();
  const containerOf = (id: string): Container => {
    let container = byId.get(id);
    if (!container) {
      container = { record: null, parent: null, children: [] };
      byId.set(id, container);
    }
    return container;
  };
  const all: Container[] = [];
  // (1) link messages by Message-ID, References and In-Reply-To
  for (const record of records) {
    const id = firstMessageId(record.messageId);
    let container: Container;
    if (id && !byId.get(id)?.record) {
      container = containerOf(id);
      container.record = record;
    } else {
      // no Message-ID, or one already taken: a message of its own (RFC 5256 4 step 1.A)
      container = { record, parent: null, children: [] };
    }
    all.push(container);
    const refs = record.references.filter((ref) => /^<[^<>\s]+>$/.test(ref));
    if (!refs.length) {
      const inReplyTo = firstMessageId(record.inReplyTo);
      if (inReplyTo) refs.push(inReplyTo);
    }
    // (1.B) each reference is the parent of the next, unless already linked or it makes a loop
    for (let index = 0; index + 1 < refs.length; index++) {
      const parent = containerOf(refs[index] as string);
      const child = containerOf(refs[index + 1] as string);
      if (!child.parent && !isAncestorOrSelf(child, parent)) link(parent, child);
    }
    // (1.C) the last reference is the message's parent, replacing any parent it had
    const last = refs.length ? containerOf(refs[refs.length - 1] as string) : null;
    if (container.parent) unlink(container);
    if (last && !isAncestorOrSelf(container, last)) link(last, container);
  }
  for (const container of byId.values()) if (!all.includes(container)) all.push(container);
  // (2) the root set; (3) dummies pruned
  let roots = prune(
    all.filter((container) => !container.parent),
    true,
  );
  // (4) the root set by date
  roots = sortSiblings(roots);
  // (5) threads of the same base subject gathered
  roots = gatherBySubject(roots);
  // (6) every set of siblings by date, the deepest first
  return sortTree(roots).map(toNode);
}

function link(parent: Container, child: Container): void {
  child.parent = parent;
  parent.children.push(child);
}

function unlink(child: Container): void {
  const parent = child.parent;
  if (!parent) return;
  parent.children = parent.children.filter((sibling) => sibling !== child);
  child.parent = null;
}

/** True when `node` is `of` or below it. */
function isAncestorOrSelf(of: Container, node: Container): boolean {
  for (let current: Container | null = node; current; current = current.parent) {
    if (current === of) return true;
  }
  return false;
}

/** (3): a dummy without children goes; one with children gives them to its parent's level (at the root only when it has one child). */
function prune(siblings: readonly Container[], atRoot: boolean): Container[] {
  const kept: Container[] = [];
  for (const container of siblings) {
    container.children = prune(container.children, false);
    if (container.record) kept.push(container);
    else if (!container.children.length) continue;
    else if (!atRoot || container.children.length === 1) {
      for (const child of container.children) {
        child.parent = container.parent;
        kept.push(child);
      }
    } else kept.push(container);
  }
  return kept;
}

/** The date a container sorts by: its message's, or for a dummy its first child's (children sorted first). */
function dateOf(container: Container): { date: number; uid: number } {
  if (container.record) return { date: sentDate(container.record), uid: container.record.uid };
  container.children = sortSiblings(container.children);
  const first = container.children[0];
  return first ? dateOf(first) : { date: 0, uid: 0 };
}

function sortSiblings(siblings: readonly Container[]): Container[] {
  const dated = siblings.map((container) => ({ container, ...dateOf(container) }));
  dated.sort((a, b) => a.date - b.date || a.uid - b.uid);
  return dated.map((entry) => entry.container);
}

function sortTree(siblings: readonly Container[]): Container[] {
  for (const container of siblings) container.children = sortTree(container.children);
  return sortSiblings(siblings);
}

/** The subject a root is grouped by: its own, or for a dummy its first child's. */
function subjectOf(container: Container): { base: string; replyOrForward: boolean } | null {
  const record = container.record ?? container.children[0]?.record ?? null;
  if (!record) return null;
  const subject = baseSubject(record.subject);
  return { base: asciiCasemap(subject.base), replyOrForward: subject.replyOrForward };
}

/** (5) RFC 5256 4 step 5: roots with the same base subject become one thread. */
function gatherBySubject(roots: readonly Container[]): Container[] {
  const table = new Map<string, Container>();
  for (const root of roots) {
    const subject = subjectOf(root);
    if (!subject || subject.base === '') continue;
    const present = table.get(subject.base);
    if (
      !present ||
      (!root.record && present.record) ||
      (subjectOf(present)?.replyOrForward && !subject.replyOrForward)
    )
      table.set(subject.base, root);
  }
  let result = [...roots];
  for (const root of roots) {
    const subject = subjectOf(root);
    if (!subject || subject.base === '') continue;
    const present = table.get(subject.base);
    if (!present || present === root) continue;
    if (!present.record && !root.record) {
      for (const child of root.children) link(present, child);
      root.children = [];
      result = result.filter((entry) => entry !== root);
    } else if (!present.record && root.record) {
      link(present, root);
      result = result.filter((entry) => entry !== root);
    } else if (subject.replyOrForward && !subjectOf(present)?.replyOrForward) {
      link(present, root);
      result = result.filter((entry) => entry !== root);
    } else {
      const dummy: Container = { record: null, parent: null, children: [] };
      link(dummy, present);
      link(dummy, root);
      result = result.filter((entry) => entry !== root).map((entry) => (entry === present ? dummy : entry));
      table.set(subject.base, dummy);
    }
  }
  return result;
}

function toNode(container: Container): ThreadNode {
  return { uid: container.record?.uid ?? null, children: container.children.map(toNode) };
}
