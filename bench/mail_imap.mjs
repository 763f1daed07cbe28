// bench/mail_imap.mjs — N messages in a Dovecot Maildir (tests/api/dovecot.mjs),
// then one `itsm mail poll --once`: prints "imap N SECONDS RATE/s".
//   node bench/mail_imap.mjs DB CONF_DIR N      (ITSM_BIN: the binary)
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startDovecot } from '../tests/api/dovecot.mjs';

const [db, dir, nText] = process.argv.slice(2);
const n = Number(nText);
const bin = process.env.ITSM_BIN;
const dove = await startDovecot();
try {
  writeFileSync(join(dir, 'imap.pw'), `${dove.password}\n`);
  const conf = join(dir, 'imap.conf');
  writeFileSync(conf, `[mail]\nsender_hourly_limit = 0\n[imap.bench]\nurl = ${dove.url}\nuser = ${dove.user}\n`
    + `password_file = ${join(dir, 'imap.pw')}\nafter = seen\n`);
  for (let i = 0; i < n; i++) {
    dove.put('INBOX', Buffer.from(`From: alice@acme.example\r\nSubject: imap bench ${i}\r\n`
      + `Message-ID: <imap-bench-${i}@acme.example>\r\n\r\nMessage ${i} of the IMAP bench.\r\n`));
  }
  const t0 = process.hrtime.bigint();
  const r = spawnSync(bin, ['--db', db, '--config', conf, '--json', 'mail', 'poll', '--once'], { encoding: 'utf8' });
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`mail poll exited ${r.status}: ${r.stderr}`);
  const out = JSON.parse(r.stdout).items[0];
  if (out.created !== n) throw new Error(`created ${out.created} of ${n}`);
  console.log(`imap ${n} ${s.toFixed(2)} ${(n / s).toFixed(0)}/s`);
} finally {
  await dove.stop();
}
