import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseOne } from './parser-helpers.js';

test('no-argument commands keep their tag and upper-cased name', () => {
  for (const name of [
    'CAPABILITY',
    'noop',
    'Logout',
    'STARTTLS',
    'CHECK',
    'CLOSE',
    'UNSELECT',
    'IDLE',
    'NAMESPACE',
  ]) {
    assert.deepEqual(parseOne(`a001 ${name}`), { tag: 'a001', uid: false, name: name.toUpperCase() });
  }
});

test('tags may contain any ASTRING-CHAR except "+", including "]"', () => {
  assert.equal(parseOne('A]1.x NOOP').tag, 'A]1.x');
});

test('LOGIN takes atoms, quoted strings with escapes and literals (RFC 3501 6.2.3)', () => {
  assert.deepEqual(parseOne('a001 LOGIN SMITH SESAME'), {
    tag: 'a001',
    uid: false,
    name: 'LOGIN',
    username: 'SMITH',
    password: 'SESAME',
  });
  assert.deepEqual(parseOne('a LOGIN "fred@example.com" "p \\"w\\\\"'), {
    tag: 'a',
    uid: false,
    name: 'LOGIN',
    username: 'fred@example.com',
    password: 'p "w\\',
  });
  assert.deepEqual(parseOne('a LOGIN {4}\r\nfred {5}\r\nsecr\u00e9'.replace('\u00e9', 'e')), {
    tag: 'a',
    uid: false,
    name: 'LOGIN',
    username: 'fred',
    password: 'secre',
  });
});

test('LOGIN decodes UTF-8 in quoted strings', () => {
  const command = parseOne(Buffer.from('a LOGIN "j\u00fcrgen" x', 'utf8').toString('latin1'));
  assert.equal(command.name === 'LOGIN' && command.username, 'j\u00fcrgen');
});

test('AUTHENTICATE with and without a SASL-IR initial response (RFC 4959)', () => {
  assert.deepEqual(parseOne('a AUTHENTICATE plain'), {
    tag: 'a',
    uid: false,
    name: 'AUTHENTICATE',
    mechanism: 'PLAIN',
    initialResponse: null,
  });
  const withResponse = parseOne('a AUTHENTICATE PLAIN AHRlc3QAdGVzdA==');
  assert.ok(withResponse.name === 'AUTHENTICATE');
  assert.deepEqual(withResponse.initialResponse, Buffer.from('\0test\0test'));
  const empty = parseOne('a AUTHENTICATE PLAIN =');
  assert.ok(empty.name === 'AUTHENTICATE');
  assert.deepEqual(empty.initialResponse, Buffer.alloc(0));
});

test('SELECT and EXAMINE with CONDSTORE and QRESYNC parameters (RFC 7162 3.2.5)', () => {
  assert.deepEqual(parseOne('A142 SELECT INBOX'), {
    tag: 'A142',
    uid: false,
    name: 'SELECT',
    mailbox: 'INBOX',
    condstore: false,
    qresync: null,
  });
  const condstore = parseOne('a EXAMINE inbox (CONDSTORE)');
  assert.ok(condstore.name === 'EXAMINE');
  assert.equal(condstore.mailbox, 'INBOX');
  assert.equal(condstore.condstore, true);
  const full = parseOne(
    'A02 SELECT INBOX (QRESYNC (67890007 90060115194045000 41:211,214:541 (1:15,19 4:28,30)))',
  );
  assert.ok(full.name === 'SELECT');
  assert.deepEqual(full.qresync, {
    uidValidity: 67890007,
    // The RFC's example modseq is above 2^53: it is clamped (see ModSeq), which compares the same.
    modSeq: Number.MAX_SAFE_INTEGER,
    knownUids: [
      { start: 41, end: 211 },
      { start: 214, end: 541 },
    ],
    sequenceMatch: {
      sequenceNumbers: [
        { start: 1, end: 15 },
        { start: 19, end: 19 },
      ],
      uids: [
        { start: 4, end: 28 },
        { start: 30, end: 30 },
      ],
    },
  });
  const minimal = parseOne('B SELECT INBOX (QRESYNC (67890007 715194045000))');
  assert.ok(minimal.name === 'SELECT');
  assert.deepEqual(minimal.qresync, {
    uidValidity: 67890007,
    modSeq: 715194045000,
    knownUids: null,
    sequenceMatch: null,
  });
  const matchOnly = parseOne('C SELECT INBOX (QRESYNC (1 2 (1:2 5:6)))');
  assert.ok(matchOnly.name === 'SELECT');
  assert.equal(matchOnly.qresync?.knownUids, null);
  assert.deepEqual(matchOnly.qresync?.sequenceMatch?.uids, [{ start: 5, end: 6 }]);
});

test('mailbox names are decoded from modified UTF-7 and INBOX is case-insensitive', () => {
  const command = parseOne('a CREATE ~peter/mail/&U,BTFw-/&ZeVnLIqe-');
  assert.ok(command.name === 'CREATE');
  assert.equal(command.mailbox, '~peter/mail/\u53f0\u5317/\u65e5\u672c\u8a9e');
  const inbox = parseOne('a DELETE "InBoX"');
  assert.ok(inbox.name === 'DELETE');
  assert.equal(inbox.mailbox, 'INBOX');
  const child = parseOne('a DELETE inbox/child');
  assert.ok(child.name === 'DELETE');
  assert.equal(child.mailbox, 'inbox/child');
});

test('with UTF8=ACCEPT mailbox names are UTF-8 and "&" is literal (RFC 6855)', () => {
  const utf8Line = Buffer.from('a SUBSCRIBE "\u65e5\u672c&Co"', 'utf8').toString('latin1');
  const command = parseOne(utf8Line, { utf8Accept: true });
  assert.ok(command.name === 'SUBSCRIBE');
  assert.equal(command.mailbox, '\u65e5\u672c&Co');
});

test('CREATE with USE special-use attributes (RFC 6154)', () => {
  assert.deepEqual(parseOne('t1 CREATE MySpecial (USE (\\Drafts \\Sent))'), {
    tag: 't1',
    uid: false,
    name: 'CREATE',
    mailbox: 'MySpecial',
    specialUse: ['\\Drafts', '\\Sent'],
  });
});

test('RENAME, SUBSCRIBE, UNSUBSCRIBE, GETQUOTAROOT take mailboxes', () => {
  assert.deepEqual(parseOne('A683 RENAME blurdybloop sarasoop'), {
    tag: 'A683',
    uid: false,
    name: 'RENAME',
    mailbox: 'blurdybloop',
    newMailbox: 'sarasoop',
  });
  assert.deepEqual(parseOne('A002 SUBSCRIBE #news.comp.mail.mime'), {
    tag: 'A002',
    uid: false,
    name: 'SUBSCRIBE',
    mailbox: '#news.comp.mail.mime',
  });
  assert.equal(parseOne('A UNSUBSCRIBE x').name, 'UNSUBSCRIBE');
  assert.deepEqual(parseOne('G GETQUOTAROOT INBOX'), {
    tag: 'G',
    uid: false,
    name: 'GETQUOTAROOT',
    mailbox: 'INBOX',
  });
});

test('basic LIST and LSUB (RFC 3501 6.3.8)', () => {
  assert.deepEqual(parseOne('A101 LIST "" ""'), {
    tag: 'A101',
    uid: false,
    name: 'LIST',
    reference: '',
    patterns: [''],
    selection: { subscribed: false, remote: false, recursiveMatch: false, specialUse: false },
    returnOptions: { subscribed: false, children: false, specialUse: false, status: null },
    extended: false,
  });
  const wildcard = parseOne('A102 LIST #news.comp.mail.misc %');
  assert.ok(wildcard.name === 'LIST');
  assert.deepEqual(wildcard.patterns, ['%']);
  assert.equal(wildcard.reference, '#news.comp.mail.misc');
  const star = parseOne('A LIST "" foo/*]');
  assert.ok(star.name === 'LIST');
  assert.deepEqual(star.patterns, ['foo/*]']);
  assert.deepEqual(parseOne('A002 LSUB "#news." "comp.mail.*"'), {
    tag: 'A002',
    uid: false,
    name: 'LSUB',
    reference: '#news.',
    pattern: 'comp.mail.*',
  });
});

test('LIST-EXTENDED selection options, pattern lists and RETURN options (RFC 5258, 5819, 6154)', () => {
  const command = parseOne(
    'A04 LIST (SUBSCRIBED RECURSIVEMATCH) "" ("%" "Archive/*") RETURN (CHILDREN SPECIAL-USE STATUS (MESSAGES UNSEEN HIGHESTMODSEQ))',
  );
  assert.ok(command.name === 'LIST');
  assert.equal(command.extended, true);
  assert.deepEqual(command.patterns, ['%', 'Archive/*']);
  assert.deepEqual(command.selection, {
    subscribed: true,
    remote: false,
    recursiveMatch: true,
    specialUse: false,
  });
  assert.deepEqual(command.returnOptions, {
    subscribed: false,
    children: true,
    specialUse: true,
    status: ['MESSAGES', 'UNSEEN', 'HIGHESTMODSEQ'],
  });
  const special = parseOne('t3 LIST (SPECIAL-USE) "" "*"');
  assert.ok(special.name === 'LIST');
  assert.equal(special.selection.specialUse, true);
  const returnOnly = parseOne('A LIST "" % RETURN (SUBSCRIBED)');
  assert.ok(returnOnly.name === 'LIST');
  assert.equal(returnOnly.extended, true);
  assert.equal(returnOnly.returnOptions.subscribed, true);
  const empty = parseOne('A LIST () "" % RETURN ()');
  assert.ok(empty.name === 'LIST');
  assert.equal(empty.extended, true);
});

test('STATUS items include HIGHESTMODSEQ, SIZE, APPENDLIMIT, DELETED', () => {
  assert.deepEqual(
    parseOne('A042 STATUS blurdybloop (UIDNEXT MESSAGES HIGHESTMODSEQ size APPENDLIMIT DELETED)'),
    {
      tag: 'A042',
      uid: false,
      name: 'STATUS',
      mailbox: 'blurdybloop',
      items: ['UIDNEXT', 'MESSAGES', 'HIGHESTMODSEQ', 'SIZE', 'APPENDLIMIT', 'DELETED'],
    },
  );
});

test('APPEND with flags, date-time and a literal (RFC 3501 6.3.11 example)', () => {
  const message =
    'Date: Mon, 7 Feb 1994 21:52:25 -0800 (PST)\r\nFrom: Fred Foobar <foobar@Blurdybloop.COM>\r\n' +
    'Subject: afternoon meeting\r\nTo: mooch@owatagu.siam.edu\r\n\r\nHello Joe, do you think we can meet at 3:30 tomorrow?\r\n';
  const command = parseOne(`A003 APPEND saved-messages (\\Seen) {${message.length}}\r\n${message}`);
  assert.ok(command.name === 'APPEND');
  assert.equal(command.mailbox, 'saved-messages');
  assert.equal(command.messages.length, 1);
  assert.deepEqual(command.messages[0]?.flags, ['\\Seen']);
  assert.equal(command.messages[0]?.internalDate, null);
  assert.equal(command.messages[0]?.content.toString('latin1'), message);
  const dated = parseOne('A APPEND INBOX (\\SEEN \\draft $Forwarded) "17-Jul-1996 02:44:25 -0700" {1+}\r\nx');
  assert.ok(dated.name === 'APPEND');
  assert.deepEqual(dated.messages[0]?.flags, ['\\Seen', '\\Draft', '$Forwarded']);
  assert.equal(dated.messages[0]?.internalDate?.toISOString(), '1996-07-17T09:44:25.000Z');
  const spaceDay = parseOne('A APPEND INBOX " 7-Jul-1996 02:44:25 +0130" {1+}\r\nx');
  assert.ok(spaceDay.name === 'APPEND');
  assert.equal(spaceDay.messages[0]?.internalDate?.toISOString(), '1996-07-07T01:14:25.000Z');
});

test('MULTIAPPEND, literal8 and UTF8 message data (RFC 3502, 3516, 6855)', () => {
  const command = parseOne(
    'A APPEND Drafts (\\Draft) {3+}\r\none "1-Jan-2020 00:00:00 +0000" ~{3+}\r\nt\0o UTF8 (~{5+}\r\nthree)',
  );
  assert.ok(command.name === 'APPEND');
  assert.equal(command.messages.length, 3);
  assert.deepEqual(
    command.messages.map((message) => [message.content.toString('latin1'), message.binary, message.utf8]),
    [
      ['one', false, false],
      ['t\0o', true, false],
      ['three', true, true],
    ],
  );
});

test('SEARCH keys of RFC 3501 6.4.4 with nesting', () => {
  const command = parseOne('A282 SEARCH FLAGGED SINCE 1-Feb-1994 NOT FROM "Smith"');
  assert.deepEqual(command, {
    tag: 'A282',
    uid: false,
    name: 'SEARCH',
    charset: null,
    returnOptions: null,
    criteria: [
      { key: 'FLAGGED' },
      { key: 'SINCE', date: { year: 1994, month: 2, day: 1 } },
      { key: 'NOT', operand: { key: 'FROM', value: 'Smith' } },
    ],
  });
  const charset = parseOne('A285 SEARCH CHARSET UTF-8 TEXT {6}\r\n\u00d0\u00a4\u00d0\u00b8\u00d0\u00bb');
  assert.ok(charset.name === 'SEARCH');
  assert.equal(charset.charset, 'UTF-8');
  assert.deepEqual(charset.criteria, [{ key: 'TEXT', value: '\u0424\u0438\u043b' }]);
  const tree = parseOne(
    'A SEARCH OR (UNSEEN LARGER 100) (HEADER X-Spam "" SMALLER 5) 1:3,*:7 UID 4:* KEYWORD $Junk',
  );
  assert.ok(tree.name === 'SEARCH');
  assert.deepEqual(tree.criteria, [
    {
      key: 'OR',
      left: { key: 'AND', operands: [{ key: 'UNSEEN' }, { key: 'LARGER', size: 100 }] },
      right: {
        key: 'AND',
        operands: [
          { key: 'HEADER', field: 'X-Spam', value: '' },
          { key: 'SMALLER', size: 5 },
        ],
      },
    },
    {
      key: 'SEQUENCE',
      set: [
        { start: 1, end: 3 },
        { start: '*', end: 7 },
      ],
    },
    { key: 'UID', set: [{ start: 4, end: '*' }] },
    { key: 'KEYWORD', flag: '$Junk' },
  ]);
});

test('every RFC 3501 search key parses', () => {
  const keys = [
    'ALL',
    'ANSWERED',
    'BCC x',
    'BEFORE 1-Feb-1994',
    'BODY x',
    'CC x',
    'DELETED',
    'DRAFT',
    'FLAGGED',
    'FROM x',
    'HEADER Subject x',
    'KEYWORD k',
    'LARGER 1',
    'NEW',
    'NOT SEEN',
    'OLD',
    'ON "01-Feb-1994"',
    'OR SEEN DRAFT',
    'RECENT',
    'SEEN',
    'SENTBEFORE 1-Feb-1994',
    'SENTON 1-Feb-1994',
    'SENTSINCE 1-Feb-1994',
    'SINCE 29-Feb-2024',
    'SMALLER 1',
    'SUBJECT x',
    'TEXT x',
    'TO x',
    'UID 1',
    'UNANSWERED',
    'UNDELETED',
    'UNDRAFT',
    'UNFLAGGED',
    'UNKEYWORD k',
    'UNSEEN',
    '1:*',
    '$',
    '(SEEN)',
    'MODSEQ 0',
  ];
  for (const key of keys) {
    const command = parseOne(`a SEARCH ${key}`);
    assert.ok(command.name === 'SEARCH', key);
    assert.equal(command.criteria.length, 1, key);
  }
});

test('SEARCH MODSEQ with and without an entry (RFC 7162 3.1.5 example)', () => {
  const command = parseOne('a UID SEARCH MODSEQ "/flags/\\\\draft" all 620162338');
  assert.ok(command.name === 'SEARCH');
  assert.equal(command.uid, true);
  assert.deepEqual(command.criteria, [
    { key: 'MODSEQ', modSeq: 620162338, entry: { name: '/flags/\\draft', type: 'all' } },
  ]);
});

test('ESEARCH RETURN options (RFC 4731), empty RETURN meaning ALL', () => {
  const command = parseOne('A282 SEARCH RETURN (MIN COUNT) FLAGGED SINCE 1-Feb-1994 NOT FROM "Smith"');
  assert.ok(command.name === 'SEARCH');
  assert.deepEqual(command.returnOptions, ['MIN', 'COUNT']);
  const empty = parseOne('A SEARCH RETURN () CHARSET US-ASCII ALL');
  assert.ok(empty.name === 'SEARCH');
  assert.deepEqual(empty.returnOptions, ['ALL']);
  assert.equal(empty.charset, 'US-ASCII');
  const save = parseOne('A UID SEARCH RETURN (SAVE) UNSEEN');
  assert.ok(save.name === 'SEARCH');
  assert.deepEqual(save.returnOptions, ['SAVE']);
});

test('FETCH macros expand (RFC 3501 6.4.5)', () => {
  const all = parseOne('a FETCH 1 ALL');
  assert.ok(all.name === 'FETCH');
  assert.equal(all.macro, 'ALL');
  assert.deepEqual(
    all.items.map((item) => item.item),
    ['FLAGS', 'INTERNALDATE', 'RFC822.SIZE', 'ENVELOPE'],
  );
  const fast = parseOne('a FETCH 1 fast');
  assert.ok(fast.name === 'FETCH');
  assert.deepEqual(
    fast.items.map((item) => item.item),
    ['FLAGS', 'INTERNALDATE', 'RFC822.SIZE'],
  );
  const full = parseOne('a FETCH 1 FULL');
  assert.ok(full.name === 'FETCH');
  assert.deepEqual(
    full.items.map((item) => item.item),
    ['FLAGS', 'INTERNALDATE', 'RFC822.SIZE', 'ENVELOPE', 'BODY'],
  );
});

test('FETCH attributes with sections, partials and BINARY (RFC 3501, RFC 3516, RFC 7162)', () => {
  const command = parseOne(
    'A654 FETCH 2:4 (FLAGS INTERNALDATE RFC822 RFC822.HEADER RFC822.SIZE RFC822.TEXT ENVELOPE BODY BODYSTRUCTURE UID MODSEQ ' +
      'BODY[] BODY.PEEK[1.2.HEADER.FIELDS (FROM TO)]<0.100> BODY[HEADER.FIELDS.NOT (Subject)] BODY[1.MIME] BODY[TEXT] ' +
      'BODY[HEADER] BODY[3.1] BINARY[1.2]<5.10> BINARY.PEEK[] BINARY.SIZE[4])',
  );
  assert.ok(command.name === 'FETCH');
  assert.deepEqual(command.sequenceSet, [{ start: 2, end: 4 }]);
  assert.deepEqual(command.items, [
    { item: 'FLAGS' },
    { item: 'INTERNALDATE' },
    { item: 'RFC822' },
    { item: 'RFC822.HEADER' },
    { item: 'RFC822.SIZE' },
    { item: 'RFC822.TEXT' },
    { item: 'ENVELOPE' },
    { item: 'BODY' },
    { item: 'BODYSTRUCTURE' },
    { item: 'UID' },
    { item: 'MODSEQ' },
    { item: 'BODY[]', peek: false, section: { part: [], specifier: null, fields: [] }, partial: null },
    {
      item: 'BODY[]',
      peek: true,
      section: { part: [1, 2], specifier: 'HEADER.FIELDS', fields: ['FROM', 'TO'] },
      partial: { offset: 0, length: 100 },
    },
    {
      item: 'BODY[]',
      peek: false,
      section: { part: [], specifier: 'HEADER.FIELDS.NOT', fields: ['Subject'] },
      partial: null,
    },
    { item: 'BODY[]', peek: false, section: { part: [1], specifier: 'MIME', fields: [] }, partial: null },
    { item: 'BODY[]', peek: false, section: { part: [], specifier: 'TEXT', fields: [] }, partial: null },
    { item: 'BODY[]', peek: false, section: { part: [], specifier: 'HEADER', fields: [] }, partial: null },
    { item: 'BODY[]', peek: false, section: { part: [3, 1], specifier: null, fields: [] }, partial: null },
    { item: 'BINARY[]', peek: false, part: [1, 2], partial: { offset: 5, length: 10 } },
    { item: 'BINARY[]', peek: true, part: [], partial: null },
    { item: 'BINARY.SIZE', part: [4] },
  ]);
  assert.equal(command.changedSince, null);
  assert.equal(command.vanished, false);
});

test('FETCH modifiers CHANGEDSINCE and VANISHED (RFC 7162)', () => {
  const command = parseOne('s100 UID FETCH 300:500 (FLAGS) (CHANGEDSINCE 12345 VANISHED)');
  assert.ok(command.name === 'FETCH');
  assert.equal(command.uid, true);
  assert.equal(command.changedSince, 12345);
  assert.equal(command.vanished, true);
  const single = parseOne('s FETCH 1:* flags (changedsince 9223372036854775807)');
  assert.ok(single.name === 'FETCH');
  assert.equal(single.changedSince, Number.MAX_SAFE_INTEGER);
});

test('STORE forms with .SILENT and UNCHANGEDSINCE (RFC 3501 6.4.6, RFC 7162)', () => {
  assert.deepEqual(parseOne('A003 STORE 2:4 +FLAGS (\\Deleted)'), {
    tag: 'A003',
    uid: false,
    name: 'STORE',
    sequenceSet: [{ start: 2, end: 4 }],
    operation: 'add',
    silent: false,
    flags: ['\\Deleted'],
    unchangedSince: null,
  });
  const silent = parseOne('a UID STORE 1,3 -FLAGS.SILENT \\seen $Label');
  assert.ok(silent.name === 'STORE');
  assert.deepEqual(
    [silent.uid, silent.operation, silent.silent, silent.flags],
    [true, 'remove', true, ['\\Seen', '$Label']],
  );
  const conditional = parseOne('d105 STORE 7,5,9 (UNCHANGEDSINCE 320162338) +FLAGS.SILENT (\\Deleted)');
  assert.ok(conditional.name === 'STORE');
  assert.equal(conditional.unchangedSince, 320162338);
  const replace = parseOne('a STORE $ FLAGS ()');
  assert.ok(replace.name === 'STORE');
  assert.deepEqual([replace.sequenceSet, replace.operation, replace.flags], ['$', 'set', []]);
});

test('COPY, MOVE, EXPUNGE and UID EXPUNGE', () => {
  assert.deepEqual(parseOne('A003 COPY 2:4 MEETING'), {
    tag: 'A003',
    uid: false,
    name: 'COPY',
    sequenceSet: [{ start: 2, end: 4 }],
    mailbox: 'MEETING',
  });
  assert.deepEqual(parseOne('a UID MOVE 42:69 foo'), {
    tag: 'a',
    uid: true,
    name: 'MOVE',
    sequenceSet: [{ start: 42, end: 69 }],
    mailbox: 'foo',
  });
  assert.deepEqual(parseOne('A202 EXPUNGE'), { tag: 'A202', uid: false, name: 'EXPUNGE', sequenceSet: null });
  assert.deepEqual(parseOne('A003 UID EXPUNGE 3000:3002'), {
    tag: 'A003',
    uid: true,
    name: 'EXPUNGE',
    sequenceSet: [{ start: 3000, end: 3002 }],
  });
});

test('sequence sets keep "*" symbolic and "$" as the saved result', () => {
  const command = parseOne('a FETCH 1:*,*:5,1,3:4,7,* UID');
  assert.ok(command.name === 'FETCH');
  assert.deepEqual(command.sequenceSet, [
    { start: 1, end: '*' },
    { start: '*', end: 5 },
    { start: 1, end: 1 },
    { start: 3, end: 4 },
    { start: 7, end: 7 },
    { start: '*', end: '*' },
  ]);
  const saved = parseOne('a UID COPY $ Trash');
  assert.ok(saved.name === 'COPY');
  assert.equal(saved.sequenceSet, '$');
});

test('ENABLE, ID and the QUOTA commands', () => {
  assert.deepEqual(parseOne('t2 ENABLE CONDSTORE utf8=accept'), {
    tag: 't2',
    uid: false,
    name: 'ENABLE',
    capabilities: ['CONDSTORE', 'UTF8=ACCEPT'],
  });
  assert.deepEqual(parseOne('a023 ID ("name" "sodr" "version" "19.34" "vendor" NIL)'), {
    tag: 'a023',
    uid: false,
    name: 'ID',
    parameters: [
      { key: 'name', value: 'sodr' },
      { key: 'version', value: '19.34' },
      { key: 'vendor', value: null },
    ],
  });
  assert.deepEqual(parseOne('a ID NIL'), { tag: 'a', uid: false, name: 'ID', parameters: null });
  assert.deepEqual(parseOne('G0001 GETQUOTA "!partition/sda4"'), {
    tag: 'G0001',
    uid: false,
    name: 'GETQUOTA',
    root: '!partition/sda4',
  });
  assert.deepEqual(parseOne('S0000 SETQUOTA "User quota" (STORAGE 512 message 100)'), {
    tag: 'S0000',
    uid: false,
    name: 'SETQUOTA',
    root: 'User quota',
    limits: [
      { resource: 'STORAGE', limit: 512 },
      { resource: 'MESSAGE', limit: 100 },
    ],
  });
});
