// ManageSieve driven by real clients: Debian's sieve-connect (Perl, STARTTLS, SASL PLAIN with an
// initial response as a literal) and python3-sievelib (STARTTLS, PLAIN as a quoted string).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ObjectId } from 'mongodb';
import { getActiveSieveScript, getSieveScript, listSieveScripts } from '@wildduck/store';
import { startManageSieve, type ManageSieveHarness } from './managesieve-harness.js';

let sieve: ManageSieveHarness;
let alice: ObjectId;
let bob: ObjectId;
const work = mkdtempSync(join(tmpdir(), 'wd-sieve-'));

before(async () => {
  sieve = await startManageSieve('managesieve-clients');
  alice = new ObjectId(await sieve.createUser('alice@example.com'));
  bob = new ObjectId(await sieve.createUser('bob@example.com', 'bobsecret'));
});
after(async () => {
  await sieve.close();
});

const script =
  'require ["fileinto"];\r\nif header :contains "subject" "invoice" {\r\n  fileinto "Bills";\r\n}\r\n';

/** Runs sieve-connect with one action; the password goes in on stdin (--passwordfd 0). */
function sieveConnect(
  args: string[],
  user = 'alice@example.com',
  password = 'secretpass',
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      '/usr/bin/sieve-connect',
      [
        '--server',
        '127.0.0.1',
        '--port',
        String(sieve.port),
        '--nosrv',
        '--notlsverify',
        '--user',
        user,
        '--passwordfd',
        '0',
        ...args,
      ],
      { timeout: 20_000 },
      (error, stdout, stderr) =>
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
    child.stdin!.end(`${password}\n`);
  });
}

test('sieve-connect: upload, list, activate, download, deactivate, delete', async () => {
  const local = join(work, 'filters.sieve');
  writeFileSync(local, script);

  const upload = await sieveConnect(['--localsieve', local, '--remotesieve', 'filters', '--upload']);
  assert.equal(upload.code, 0, upload.stderr);
  assert.equal((await getSieveScript(sieve.store.db, alice, 'filters'))?.content, script);

  const check = await sieveConnect(['--localsieve', local, '--checkscript']);
  assert.equal(check.code, 0, check.stderr);

  const activate = await sieveConnect(['--remotesieve', 'filters', '--activate']);
  assert.equal(activate.code, 0, activate.stderr);
  assert.equal((await getActiveSieveScript(sieve.store.db, alice))?.name, 'filters');

  const list = await sieveConnect(['--list']);
  assert.equal(list.code, 0, list.stderr);
  assert.match(list.stdout, /^"filters" ACTIVE$/m);

  const downloaded = join(work, 'downloaded.sieve');
  const download = await sieveConnect(['--remotesieve', 'filters', '--localsieve', downloaded, '--download']);
  assert.equal(download.code, 0, download.stderr);
  assert.equal(readFileSync(downloaded, 'utf8'), script);

  const refused = await sieveConnect(['--remotesieve', 'filters', '--delete']);
  assert.notEqual(refused.code, 0, 'the active script cannot be deleted');
  assert.match(refused.stderr, /ACTIVE/);

  const deactivate = await sieveConnect(['--deactivate']);
  assert.equal(deactivate.code, 0, deactivate.stderr);
  assert.equal(await getActiveSieveScript(sieve.store.db, alice), null);

  const remove = await sieveConnect(['--remotesieve', 'filters', '--delete']);
  assert.equal(remove.code, 0, remove.stderr);
  assert.deepEqual(await listSieveScripts(sieve.store.db, alice), []);
});

test('sieve-connect: a script that does not parse is refused with its line; a wrong password fails', async () => {
  const local = join(work, 'broken.sieve');
  writeFileSync(local, 'keep;\nfileinto "x";\n');
  const upload = await sieveConnect(['--localsieve', local, '--remotesieve', 'broken', '--upload']);
  assert.notEqual(upload.code, 0);
  assert.match(upload.stderr, /line 2, column 1/);
  assert.equal(await getSieveScript(sieve.store.db, alice, 'broken'), null);

  const wrong = await sieveConnect(['--list'], 'alice@example.com', 'wrong');
  assert.notEqual(wrong.code, 0);
  assert.match(wrong.stderr, /Authentication refused|Authentication failed/);
});

/** Runs a Python program with Debian's python3 (and its python3-sievelib); its stdout as JSON. */
function python(program: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    execFile(
      '/usr/bin/python3',
      ['-c', program, String(sieve.port)],
      { timeout: 30_000 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`${error.message}\n${stderr}`));
        else resolve(JSON.parse(stdout));
      },
    );
  });
}

const sievelibProgram = (user: string, password: string, body: string) => `
import json, sys
from sievelib.managesieve import Client
c = Client("127.0.0.1", int(sys.argv[1]))
out = {}
out["connected"] = c.connect(${JSON.stringify(user)}, ${JSON.stringify(password)}, starttls=True, authmech="PLAIN")
def err():
    code = getattr(c, "errcode", b"")
    return code.decode() if isinstance(code, bytes) else code
${body}
print(json.dumps(out))
`;

test('python3-sievelib: put, list, activate, get, havespace, checkscript, rename, delete', async () => {
  const result = (await python(
    sievelibProgram(
      'alice@example.com',
      'secretpass',
      `
out["caps"] = c.get_sieve_capabilities()
out["impl"] = c.get_implementation()
out["put"] = c.putscript("vacation", ${JSON.stringify(script)})
out["put2"] = c.putscript("spare", "keep;")
out["active"] = c.setactive("vacation")
out["list"] = c.listscripts()
out["get"] = c.getscript("vacation")
out["space"] = c.havespace("another", 100)
out["space_big"] = c.havespace("another", 10 * 1024 * 1024)
out["space_big_code"] = err()
out["check_ok"] = c.checkscript("keep;")
out["check_bad"] = c.checkscript("if true {")
out["check_bad_msg"] = c.errmsg.decode() if isinstance(c.errmsg, bytes) else c.errmsg
out["rename"] = c.renamescript("vacation", "holiday")
out["rename_taken"] = c.renamescript("spare", "holiday")
out["rename_taken_code"] = err()
out["list2"] = c.listscripts()
out["delete_active"] = c.deletescript("holiday")
out["delete_active_code"] = err()
out["delete"] = c.deletescript("spare")
out["delete_missing"] = c.deletescript("spare")
out["delete_missing_code"] = err()
out["get_missing"] = c.getscript("nope")
out["get_missing_code"] = err()
c.logout()
`,
    ),
  )) as Record<string, unknown>;
  assert.equal(result.connected, true);
  assert.ok((result.caps as string[]).includes('fileinto'));
  assert.equal(result.impl, 'Wild Duck ManageSieve');
  assert.equal(result.put, true);
  assert.equal(result.put2, true);
  assert.equal(result.active, true);
  assert.deepEqual(result.list, ['vacation', ['spare']]);
  // sievelib joins the lines with \n
  assert.equal(result.get, script.replace(/\r\n/g, '\n').replace(/\n$/, ''));
  assert.equal(result.space, true);
  assert.equal(result.space_big, false);
  assert.equal(result.space_big_code, 'QUOTA/MAXSIZE');
  assert.equal(result.check_ok, true);
  assert.equal(result.check_bad, false);
  assert.match(result.check_bad_msg as string, /^line 1, column \d+: /);
  assert.equal(result.rename, true);
  assert.equal(result.rename_taken, false);
  assert.equal(result.rename_taken_code, 'ALREADYEXISTS');
  assert.deepEqual(result.list2, ['holiday', ['spare']], 'the renamed script stays active');
  assert.equal(result.delete_active, false);
  assert.equal(result.delete_active_code, 'ACTIVE');
  assert.equal(result.delete, true);
  assert.equal(result.delete_missing, false);
  assert.equal(result.delete_missing_code, 'NONEXISTENT');
  assert.equal(result.get_missing, null);
  assert.equal(result.get_missing_code, 'NONEXISTENT');
  assert.equal((await getActiveSieveScript(sieve.store.db, alice))?.name, 'holiday');

  // bob sees none of alice's scripts, and cannot reach them by name
  const bobs = (await python(
    sievelibProgram(
      'bob@example.com',
      'bobsecret',
      `
out["list"] = c.listscripts()
out["get"] = c.getscript("holiday")
out["activate"] = c.setactive("holiday")
out["delete"] = c.deletescript("holiday")
out["rename"] = c.renamescript("holiday", "mine")
out["put"] = c.putscript("holiday", "discard;")
c.logout()
`,
    ),
  )) as Record<string, unknown>;
  assert.equal(bobs.connected, true);
  assert.deepEqual(bobs.list, [null, []]);
  assert.equal(bobs.get, null);
  assert.equal(bobs.activate, false);
  assert.equal(bobs.delete, false);
  assert.equal(bobs.rename, false);
  assert.equal(bobs.put, true, 'bob may have a script of the same name, his own');
  assert.equal((await getSieveScript(sieve.store.db, alice, 'holiday'))?.content, script);
  assert.equal((await getSieveScript(sieve.store.db, bob, 'holiday'))?.content, 'discard;');
});

test('python3-sievelib: a wrong password is refused', async () => {
  const result = (await python(sievelibProgram('alice@example.com', 'wrong', ''))) as Record<string, unknown>;
  assert.equal(result.connected, false);
});
