// dovecot.mjs — a real IMAP server for the tests: Debian's dovecot-imapd
// with a configuration of its own in a temporary directory (listen on
// 127.0.0.1, a free port, ssl = no, one passwd-file user, Maildir under
// the directory), in the foreground (-F), stopped with SIGTERM. Messages
// are put into the Maildir as files, as a delivery agent would; doveadm
// (with the same configuration) changes a folder's UIDVALIDITY.
//
// A missing dovecot fails the test that needs it: never a skip.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, readFileSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

const DOVECOT = '/usr/sbin/dovecot';
const DOVEADM = '/usr/bin/doveadm';

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function listening(port) {
  return new Promise((resolve) => {
    const c = connect(port, '127.0.0.1');
    c.on('connect', () => { c.destroy(); resolve(true); });
    c.on('error', () => resolve(false));
  });
}

// Start dovecot with user/password; resolves to { url, user, password,
// dir, maildir(folder), put(folder, bytes), files(folder), setUidValidity,
// stop }.
export async function startDovecot({ user = 'desk', password = 'secret-pw' } = {}) {
  if (!existsSync(DOVECOT) || !existsSync(DOVEADM))
    throw new Error('dovecot is not installed (apt-get install dovecot-imapd; ITSM_DEPS=test scripts/install-deps.sh)');
  // Dovecot's master starts its services as their own users: it must run
  // as root (as the tests do in CI); anything else fails here, never skips.
  if (userInfo().uid !== 0) throw new Error('dovecot.mjs runs dovecot as root: run the IMAP tests as root');
  // Dovecot refuses uid 0 for mail: the mail belongs to the dovecot user,
  // and what the test writes is handed over to it.
  const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith('dovecot:'));
  if (!line) throw new Error('no dovecot user in /etc/passwd (dovecot-core makes it)');
  const me = { uid: Number(line.split(':')[2]), gid: Number(line.split(':')[3]) };
  const dir = mkdtempSync(join(tmpdir(), 'itsm-dovecot-'));
  const port = await freePort();
  const own = (p) => chownSync(p, me.uid, me.gid);
  chmodSync(dir, 0o755); // the auth process runs as the dovecot user
  for (const d of ['run', 'state', 'mail']) mkdirSync(join(dir, d));
  writeFileSync(join(dir, 'passwd'), `${user}:{PLAIN}${password}\n`, { mode: 0o644 });
  const conf = join(dir, 'dovecot.conf');
  writeFileSync(conf, [
    `base_dir = ${dir}/run`,
    `state_dir = ${dir}/state`,
    `log_path = ${dir}/dovecot.log`,
    'protocols = imap',
    'listen = 127.0.0.1',
    'ssl = no',
    'disable_plaintext_auth = no',
    'auth_mechanisms = plain login',
    `mail_location = maildir:${dir}/mail/%u`,
    'first_valid_uid = 0',
    'mail_fsync = never',
    'passdb {',
    '  driver = passwd-file',
    `  args = scheme=PLAIN username_format=%u ${dir}/passwd`,
    '}',
    'userdb {',
    '  driver = static',
    `  args = uid=${me.uid} gid=${me.gid} home=${dir}/mail/%u`,
    '}',
    'service imap-login {',
    `  inet_listener imap {\n    address = 127.0.0.1\n    port = ${port}\n  }`,
    '  inet_listener imaps {\n    port = 0\n  }',
    '  chroot =',
    '}',
    'service anvil {\n  chroot =\n}',
    '',
  ].join('\n'));
  const proc = spawn(DOVECOT, ['-F', '-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  proc.stderr.on('data', (d) => { stderr += d; });
  let exited = null;
  proc.on('exit', (code) => { exited = code; });
  for (let i = 0; i < 100 && !(await listening(port)); i++) {
    if (exited !== null) throw new Error(`dovecot exited ${exited}: ${stderr}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  if (!(await listening(port))) {
    proc.kill('SIGKILL');
    throw new Error(`dovecot does not listen on ${port}: ${stderr}`);
  }

  const home = join(dir, 'mail', user);
  // Maildir++: INBOX is the top, folder X is .X
  const maildir = (folder = 'INBOX') => (folder === 'INBOX' ? home : join(home, `.${folder}`));
  const makeFolder = (folder) => {
    for (const sub of ['cur', 'new', 'tmp']) mkdirSync(join(maildir(folder), sub), { recursive: true });
    for (const p of [join(dir, 'mail'), home, maildir(folder)]) own(p);
    for (const sub of ['cur', 'new', 'tmp']) own(join(maildir(folder), sub));
  };
  makeFolder('INBOX');
  let seq = 0;
  return {
    url: `imap://127.0.0.1:${port}`,
    user,
    password,
    dir,
    conf,
    maildir,
    makeFolder,
    // Deliver bytes into folder as a new message.
    put(folder, bytes) {
      makeFolder(folder);
      const name = `${Date.now()}.P${process.pid}Q${++seq}.itsm-test`;
      writeFileSync(join(maildir(folder), 'tmp', name), bytes);
      own(join(maildir(folder), 'tmp', name));
      renameSync(join(maildir(folder), 'tmp', name), join(maildir(folder), 'new', name));
      return name;
    },
    // The message files of folder: [{ name, seen }]
    files(folder = 'INBOX') {
      const out = [];
      for (const sub of ['new', 'cur']) {
        const d = join(maildir(folder), sub);
        if (!existsSync(d)) continue;
        for (const name of readdirSync(d)) {
          const flags = name.includes(':2,') ? name.split(':2,')[1] : '';
          out.push({ name, seen: flags.includes('S') });
        }
      }
      return out;
    },
    setUidValidity(folder, value) {
      const r = spawnSync(DOVEADM, ['-c', conf, 'mailbox', 'update', '-u', user, '--uid-validity', String(value), folder],
        { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`doveadm mailbox update: ${r.stderr}`);
    },
    uidValidity(folder) {
      const r = spawnSync(DOVEADM, ['-c', conf, 'mailbox', 'status', '-u', user, 'uidvalidity', folder],
        { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`doveadm mailbox status: ${r.stderr}`);
      return Number(r.stdout.trim().split('=')[1]);
    },
    async stop() {
      if (exited === null) {
        const gone = new Promise((r) => proc.on('exit', r));
        proc.kill('SIGTERM');
        await gone;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
