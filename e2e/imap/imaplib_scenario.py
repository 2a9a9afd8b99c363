#!/usr/bin/env python3
"""An IMAP scenario with Python's standard imaplib, against a running server.

Usage: imaplib_scenario.py CONFIG_JSON
CONFIG_JSON: {"host", "port", "tlsPort", "user", "password", "messageFile", "secondMessageFile"}

Runs STARTTLS, LOGIN, CAPABILITY, LIST, SELECT, APPEND, UID SEARCH, UID FETCH, UID STORE, COPY,
UID MOVE, EXPUNGE, CREATE/RENAME/DELETE, STATUS, GETQUOTAROOT and LOGOUT on the STARTTLS port, then
LOGIN/SELECT/FETCH/LOGOUT over implicit TLS, and prints ONE line of JSON with what it saw. Any
refused command or unexpected answer ends it with exit code 1 and a message naming the command.
Standard library only.
"""

import base64
import datetime
import imaplib
import json
import re
import ssl
import sys


class ScenarioError(Exception):
    pass


def text(value):
    if isinstance(value, bytes):
        return value.decode('utf-8', 'replace')
    return str(value)


def ok(what, result):
    """imaplib returns NO as a value (BAD raises); either way a refusal stops the scenario."""
    typ, data = result
    if typ != 'OK':
        raise ScenarioError('%s answered %s: %s' % (what, typ, ' '.join(text(d) for d in data if d is not None)))
    return data


def quote(name):
    return '"' + name.replace('\\', '\\\\').replace('"', '\\"') + '"'


def parse_list(data):
    """LIST lines -> [{"flags": [...], "delimiter": ..., "name": ...}]."""
    mailboxes = []
    pattern = re.compile(r'^\((?P<flags>[^)]*)\) (?P<delim>"[^"]*"|NIL) (?P<name>.+)$')
    for line in data:
        if line is None:
            continue
        if isinstance(line, tuple):
            # a name sent as a literal
            head, literal = line
            match = pattern.match(text(head).rsplit(' {', 1)[0] + ' ""')
            name = text(literal)
        else:
            match = pattern.match(text(line))
            name = None
        if not match:
            raise ScenarioError('cannot parse LIST line: %r' % (line,))
        if name is None:
            name = match.group('name')
            if name.startswith('"'):
                name = re.sub(r'\\(.)', r'\1', name[1:-1])
        delim = match.group('delim')
        mailboxes.append({
            'flags': match.group('flags').split(),
            'delimiter': None if delim == 'NIL' else delim[1:-1],
            'name': name,
        })
    return mailboxes


def fetch_parts(data):
    """Splits imaplib's FETCH answer into (text without literals, [literals]) per message."""
    messages = []
    current_text, literals = '', []
    for item in data:
        if isinstance(item, tuple):
            current_text += text(item[0])
            literals.append((text(item[0]), item[1]))
        elif item is not None:
            current_text += text(item)
            if current_text.rstrip().endswith(')'):
                messages.append((current_text, literals))
                current_text, literals = '', []
    if current_text:
        messages.append((current_text, literals))
    return messages


def literal_after(literals, marker):
    for head, value in literals:
        if re.search(marker + r' \{\d+\}$', head):
            return value
    return None


def uids_of(search_data):
    return [int(x) for x in text(search_data[0] or b'').split()]


def response_code(data, code):
    match = re.search(r'\[' + code + r' ([^\]]*)\]', ' '.join(text(d) for d in data if d is not None))
    return match.group(1).split() if match else None


def main():
    config = json.loads(sys.argv[1])
    host, port, user, password = config['host'], config['port'], config['user'], config['password']
    with open(config['messageFile'], 'rb') as handle:
        message = handle.read()
    with open(config['secondMessageFile'], 'rb') as handle:
        second = handle.read()
    context = ssl._create_unverified_context()  # the server's certificate is self-signed
    out = {}

    # --- STARTTLS port -------------------------------------------------------------------------
    imap = imaplib.IMAP4(host, port, timeout=30)
    out['greeting'] = text(imap.welcome)
    out['capabilitiesBeforeTls'] = sorted(imap.capabilities)
    ok('STARTTLS', imap.starttls(ssl_context=context))
    out['tlsVersion'] = imap.sock.version()
    out['capabilitiesAfterTls'] = sorted(imap.capabilities)
    ok('LOGIN', imap.login(user, password))
    data = ok('CAPABILITY', imap.capability())
    out['capabilities'] = text(data[0]).split()

    data = ok('LIST "" *', imap.list('""', '*'))
    mailboxes = parse_list(data)
    out['list'] = mailboxes
    delimiter = next((m['delimiter'] for m in mailboxes if m['delimiter']), '/')

    data = ok('SELECT INBOX', imap.select('INBOX'))
    out['selectExists'] = int(text(data[0]))
    out['uidValidity'] = int(text(imap.untagged_responses.get('UIDVALIDITY', [b'0'])[0]))
    # the [HIGHESTMODSEQ n] code of the untagged OK (CONDSTORE is advertised)
    out['selectHighestModseq'] = [text(x) for x in imap.untagged_responses.get('HIGHESTMODSEQ', [])]

    # APPEND with flags and a date
    when = datetime.datetime(2026, 11, 3, 9, 0, 0, tzinfo=datetime.timezone.utc)
    data = ok('APPEND', imap.append('INBOX', r'(\Flagged $Project)', imaplib.Time2Internaldate(when), message))
    appenduid = response_code(data, 'APPENDUID')
    if not appenduid:
        raise ScenarioError('APPEND answered no [APPENDUID] code: %r' % data)
    uid1 = int(appenduid[1])
    data = ok('APPEND (second)', imap.append('INBOX', '', imaplib.Time2Internaldate(when), second))
    uid2 = int(response_code(data, 'APPENDUID')[1])
    out['appendUids'] = [uid1, uid2]
    out['appendUidValidity'] = int(appenduid[0])
    ok('NOOP', imap.noop())
    out['existsAfterAppend'] = int(text(imap.untagged_responses.get('EXISTS', [b'0'])[-1]))

    # UID SEARCH
    out['search'] = {
        'from': uids_of(ok('UID SEARCH FROM', imap.uid('SEARCH', None, 'FROM', '"carol@example.org"'))),
        'subject': uids_of(ok('UID SEARCH SUBJECT', imap.uid('SEARCH', None, 'SUBJECT', '"quarterly report"'))),
        'unseen': uids_of(ok('UID SEARCH UNSEEN', imap.uid('SEARCH', None, 'UNSEEN'))),
        'flagged': uids_of(ok('UID SEARCH FLAGGED', imap.uid('SEARCH', None, 'FLAGGED'))),
        'body': uids_of(ok('UID SEARCH BODY', imap.uid('SEARCH', None, 'BODY', '"pineapple"'))),
        'all': uids_of(ok('UID SEARCH ALL', imap.uid('SEARCH', None, 'ALL'))),
        'none': uids_of(ok('UID SEARCH SUBJECT (no match)', imap.uid('SEARCH', None, 'SUBJECT', '"no such subject anywhere"'))),
    }

    # UID FETCH
    data = ok('UID FETCH', imap.uid('FETCH', str(uid1), '(UID FLAGS INTERNALDATE RFC822.SIZE BODY.PEEK[] BODYSTRUCTURE ENVELOPE)'))
    fetched = fetch_parts(data)
    if len(fetched) != 1:
        raise ScenarioError('UID FETCH %d answered %d messages: %r' % (uid1, len(fetched), data))
    fetch_text, literals = fetched[0]
    body = literal_after(literals, r'BODY\[\]')
    if body is None:
        raise ScenarioError('UID FETCH answered no BODY[] literal: %r' % data)
    out['fetch'] = {
        'text': fetch_text,
        'bodyBase64': base64.b64encode(body).decode('ascii'),
        'flags': (re.search(r'FLAGS \(([^)]*)\)', fetch_text) or [None, ''])[1].split(),
        'internalDate': (re.search(r'INTERNALDATE "([^"]*)"', fetch_text) or [None, None])[1],
        'size': int((re.search(r'RFC822\.SIZE (\d+)', fetch_text) or [None, -1])[1]),
    }
    # BODY.PEEK must not set \Seen
    data = ok('UID FETCH FLAGS', imap.uid('FETCH', str(uid1), '(FLAGS)'))
    out['flagsAfterPeek'] = (re.search(r'FLAGS \(([^)]*)\)', text(data[0])) or [None, ''])[1].split()

    # UID STORE +FLAGS
    data = ok('UID STORE', imap.uid('STORE', str(uid2), '+FLAGS', r'(\Seen $Done)'))
    out['storeResponse'] = [text(d) for d in data if d is not None]
    out['unseenAfterStore'] = uids_of(ok('UID SEARCH UNSEEN', imap.uid('SEARCH', None, 'UNSEEN')))

    # COPY (by sequence number) to Archive
    data = ok('COPY', imap.copy('1', 'Archive'))
    out['copyuid'] = response_code(data, 'COPYUID')

    # UID MOVE the second message to Trash
    imap.untagged_responses.pop('EXPUNGE', None)
    data = ok('UID MOVE', imap.uid('MOVE', str(uid2), 'Trash'))
    out['moveExpunged'] = [int(text(x)) for x in imap.untagged_responses.pop('EXPUNGE', [])]
    out['moveCopyuid'] = response_code(data, 'COPYUID') or (
        text(imap.untagged_responses.pop('COPYUID', [b''])[-1]).split() or None)
    out['afterMoveAll'] = uids_of(ok('UID SEARCH ALL', imap.uid('SEARCH', None, 'ALL')))

    # \Deleted + EXPUNGE
    ok('STORE \\Deleted', imap.uid('STORE', str(uid1), '+FLAGS.SILENT', r'(\Deleted)'))
    data = ok('EXPUNGE', imap.expunge())
    out['expunged'] = [int(text(x)) for x in data if x is not None]
    out['afterExpungeAll'] = uids_of(ok('UID SEARCH ALL', imap.uid('SEARCH', None, 'ALL')))

    # CREATE / RENAME / DELETE
    parent = 'Projects'
    child = parent + delimiter + 'Alpha 2026'
    renamed = parent + delimiter + 'Beta 2026'
    ok('CREATE', imap.create(quote(child)))
    after_create = [m['name'] for m in parse_list(ok('LIST after CREATE', imap.list('""', quote(parent + '*'))))]
    ok('RENAME', imap.rename(quote(child), quote(renamed)))
    after_rename = [m['name'] for m in parse_list(ok('LIST after RENAME', imap.list('""', quote(parent + '*'))))]
    ok('DELETE', imap.delete(quote(renamed)))
    after_delete = [m['name'] for m in parse_list(ok('LIST after DELETE', imap.list('""', quote(parent + '*'))))]
    out['mailboxOps'] = {'delimiter': delimiter, 'afterCreate': after_create, 'afterRename': after_rename, 'afterDelete': after_delete}
    typ, data = imap.select(quote(renamed))
    out['selectDeleted'] = typ
    ok('SELECT INBOX again', imap.select('INBOX'))

    # STATUS
    out['status'] = {}
    for name in ('INBOX', 'Archive', 'Trash', 'Sent Mail'):
        data = ok('STATUS ' + name, imap.status(quote(name), '(MESSAGES UIDNEXT UIDVALIDITY UNSEEN)'))
        out['status'][name] = text(data[0])

    # HIGHESTMODSEQ of a mailbox that never held a message
    data = ok('STATUS Drafts HIGHESTMODSEQ', imap.status('Drafts', '(MESSAGES HIGHESTMODSEQ)'))
    out['statusEmptyHighestModseq'] = text(data[0])

    # GETQUOTAROOT
    data = ok('GETQUOTAROOT', imap.getquotaroot('INBOX'))
    out['quotaroot'] = [[text(x) for x in group if x is not None] for group in data]

    typ, data = imap.logout()
    out['logout'] = typ

    # --- implicit TLS port ---------------------------------------------------------------------
    secure = imaplib.IMAP4_SSL(host, config['tlsPort'], ssl_context=context, timeout=30)
    out['imaps'] = {'greeting': text(secure.welcome), 'tlsVersion': secure.sock.version()}
    ok('IMAPS LOGIN', secure.login(user, password))
    data = ok('IMAPS SELECT Archive', secure.select('Archive', readonly=True))
    out['imaps']['archiveExists'] = int(text(data[0]))
    data = ok('IMAPS FETCH', secure.fetch('1', '(BODY.PEEK[])'))
    archived = fetch_parts(data)
    out['imaps']['archiveBodyBase64'] = base64.b64encode(literal_after(archived[0][1], r'BODY\[\]') or b'').decode('ascii') if archived else None
    typ, data = secure.logout()
    out['imaps']['logout'] = typ

    print(json.dumps(out))


if __name__ == '__main__':
    try:
        main()
    except (ScenarioError, imaplib.IMAP4.error, OSError, ValueError, TypeError, IndexError) as error:
        sys.stderr.write('imaplib scenario failed: %s: %s\n' % (type(error).__name__, error))
        sys.exit(1)
