// cli.test.mjs — the command line's own contract, for every command at once:
// each command and subcommand answers --help and -h with its usage on stdout
// (exit 0, no store opened); a subcommand refuses the options of its
// siblings (exit 2, the store untouched); "--" ends the options; an unknown
// subcommand or a wrong count of arguments is bad usage (exit 2).
//
// The commands come from `itsm --help` and each group's subcommands from the
// group's usage, so a command or subcommand added later is covered without
// touching this file.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { makeStore, cli, cliOk, dumpStore } from './lib.mjs';

// ---- what there is to ask for help, read from the binary itself ----

const helpStore = makeStore();
const neverCreated = join(helpStore.dir, 'never-created.db');

// `itsm --help` lists the commands as "  NAME   summary" after "commands:".
function listCommands() {
  const r = cli(neverCreated, ['--help']);
  assert.equal(r.status, 0, r.stderr);
  return [...r.stdout.split('commands:')[1].matchAll(/^ {2}([a-z][a-z-]*) /gm)].map((m) => m[1]);
}

// A group's usage names each subcommand as "itsm GROUP WORD [WORD…]" followed
// by its arguments and options (upper case, brackets, dashes). With --help
// the usage is on stdout; a build that does not know --help prints it on
// stderr as bad usage, which still tells us which subcommands to try.
function listSubcommands(command) {
  const r = cli(neverCreated, [command, '--help']);
  const usage = r.stdout || r.stderr;
  const subs = new Set();
  for (const line of usage.split('\n')) {
    const m = line.match(new RegExp(`^(?:usage: | +)itsm ${command}((?: [a-z][a-z-]*)*)(?: |$)`));
    if (m && m[1]) subs.add(m[1].trim());
  }
  return [...subs];
}

const commands = listCommands();
const subcommands = Object.fromEntries(commands.map((c) => [c, listSubcommands(c)]));

after(() => helpStore.cleanup());

describe('every command and subcommand answers --help and -h', () => {
  it('finds the commands and subcommands to ask', () => {
    // guards against a parser that silently finds nothing to test
    for (const c of ['serve', 'ticket', 'ci', 'staff', 'sla', 'calendar', 'import', 'token']) {
      assert.ok(commands.includes(c), `itsm --help lists ${c}: ${commands}`);
    }
    assert.deepEqual(subcommands.ticket, ['create', 'list', 'show', 'update', 'comment', 'history', 'attach',
      'attachments', 'link', 'links', 'unlink', 'merge']);
    assert.ok(subcommands.staff.includes('career add'), subcommands.staff);
    assert.ok(subcommands.ci.includes('type-add'), subcommands.ci);
    assert.deepEqual(subcommands.import, ['tickets']);
    assert.deepEqual(subcommands.serve, []);
    const total = Object.values(subcommands).reduce((n, s) => n + s.length, 0);
    assert.ok(total >= 60, `${total} subcommands`);
  });

  for (const command of commands) {
    for (const flag of ['--help', '-h']) {
      it(`itsm ${command} ${flag}`, () => {
        const r = cli(neverCreated, [command, flag]);
        assert.equal(r.status, 0, r.stderr);
        assert.equal(r.stderr, '');
        assert.ok(r.stdout.startsWith(`usage: itsm ${command}`), r.stdout);
        // a group's help lists every one of its subcommands
        for (const sub of subcommands[command]) {
          assert.ok(r.stdout.includes(`itsm ${command} ${sub}`), `${sub} in ${r.stdout}`);
        }
      });
    }
    for (const sub of subcommands[command]) {
      for (const flag of ['--help', '-h']) {
        it(`itsm ${command} ${sub} ${flag}`, () => {
          const r = cli(neverCreated, [command, ...sub.split(' '), flag]);
          assert.equal(r.status, 0, r.stderr);
          assert.equal(r.stderr, '');
          assert.ok(r.stdout.startsWith(`usage: itsm ${command} ${sub}`), r.stdout);
          // only this subcommand's usage, not the whole group's
          for (const line of r.stdout.split('\n').filter((l) => /^(usage: | +)itsm /.test(l))) {
            assert.ok(line.includes(`itsm ${command} ${sub}`), `${line} in help of ${sub}`);
          }
        });
      }
    }
  }

  it('names the subcommands of a two-word group (itsm staff career --help)', () => {
    const r = cli(neverCreated, ['staff', 'career', '--help']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^usage: itsm staff career add /);
    assert.doesNotMatch(r.stdout, /itsm staff (add|list|show) /);
    const bare = cli(neverCreated, ['staff', 'career']);
    assert.equal(bare.status, 2);
    assert.match(bare.stderr, /usage: itsm staff career add /);
  });

  it('wins over missing arguments, and opens no store', () => {
    assert.equal(cli(neverCreated, ['ticket', 'comment', '-h']).status, 0);
    assert.equal(cli(neverCreated, ['ci', 'relate', 'a', '--help']).status, 0);
    assert.equal(existsSync(neverCreated), false, 'asking for help created the store');
  });
});

// ---- a store with one of most things, for the refusals ----

let store;
let ref;

before(() => {
  store = makeStore();
  cliOk(store.db, ['customer', 'add', 'acme']);
  cliOk(store.db, ['service', 'add', 'email']);
  cliOk(store.db, ['ci', 'add', 'web1', '--name', 'Web 1', '--type', 'server']);
  cliOk(store.db, ['staff', 'add', 'ito', '--name', 'Ito']);
  ref = JSON.parse(cliOk(store.db, ['--json', 'ticket', 'create', '--kind', 'incident',
    '--title', 'Mail is down', '--customer', 'acme', '--service', 'email'])).key;
});

after(() => store?.cleanup());

// Everything the store holds, as SQL text: equal dumps, nothing changed.
const dump = () => dumpStore(store.db);

describe('an option of another subcommand is refused', () => {
  // [arguments, the option that belongs elsewhere]
  const cases = () => [
    [['ticket', 'show', ref, '--kind', 'incident'], '--kind'],
    [['ticket', 'create', '--kind', 'incident', '--title', 'T', '--status', 'resolved'], '--status'],
    [['ticket', 'comment', ref, 'hello', '--status', 'resolved'], '--status'],
    [['ticket', 'update', ref, '--title', 'New title', '--internal'], '--internal'],
    [['ticket', 'list', '--internal'], '--internal'],
    [['ticket', 'history', ref, '--limit', '5'], '--limit'],
    [['ci', 'list', '--upsert'], '--upsert'],
    [['ci', 'list', '--propagates'], '--propagates'],
    [['ci', 'add', 'db1', '--name', 'DB 1', '--type', 'server', '--version', '1'], '--version'],
    [['ci', 'show', 'web1', '--format', 'csv'], '--format'],
    [['ci', 'export', '--type', 'server'], '--type'],
    [['customer', 'list', '--name', 'Acme'], '--name'],
    [['user', 'list', '--role', 'agent'], '--role'],
    [['user', 'show', 'nobody', '--password-stdin'], '--password-stdin'],
    [['service', 'list', '--owner-group', 'ops'], '--owner-group'],
    [['calendar', 'list', '--from', '2026-03-02T09:00:00Z'], '--from'],
    [['calendar', 'show', '24x7', '--minutes', '5'], '--minutes'],
    [['sla', 'list', '--state', 'sent'], '--state'],
    [['sla', 'tick', '--customer', 'acme'], '--customer'],
    [['sla', 'outbox', '--service', 'email'], '--service'],
    [['outage', 'add', '--service', 'email', '--start', '2026-03-01T00:00:00Z', '--version', '1'],
      '--version'],
    [['outage', 'list', '--planned'], '--planned'],
    [['event', 'send', '--source', 'nagios', '--resource', 'web1', '--check', 'ping',
      '--severity', 'critical', '--state', 'open'], '--state'],
    [['event', 'alerts', '--days', '1'], '--days'],
    [['audit', 'verify', '--limit', '1'], '--limit'],
    [['check', 'list', '--ci', 'web1'], '--ci'],
    [['staff', 'show', 'ito', '--decide', '4'], '--decide'],
    [['staff', 'update', 'ito', '--name', 'Ito M.', '--cursor', 'x'], '--cursor'],
    [['skill', 'map', '--file', 'profile.json'], '--file'],
    [['import', 'tickets', 'history.jsonl', '--format', 'csv'], '--format'],
    [['token', 'create', 'bot', '--role', 'admin'], '--role'],
    [['serve', '--kind', 'incident'], '--kind'],
  ];

  it('with exit 2, its usage on stderr, and the store as it was', () => {
    for (const [args, option] of cases()) {
      const was = dump();
      const r = cli(store.db, args);
      const what = `itsm ${args.join(' ')}`;
      assert.equal(r.status, 2, `${what}: ${r.stdout}${r.stderr}`);
      assert.equal(r.stdout, '', what);
      assert.ok(r.stderr.includes(`itsm: unknown option '${option}'`), `${what}: ${r.stderr}`);
      const sub = args[0] === 'serve' ? 'serve' : `${args[0]} ${args[1]}`;
      assert.ok(r.stderr.includes(`usage: itsm ${sub}`), `${what}: ${r.stderr}`);
      assert.equal(dump(), was, `${what} changed the store`);
    }
  });

  it('while the same option is taken where it belongs', () => {
    const t = JSON.parse(cliOk(store.db, ['--json', 'ticket', 'list', '--kind', 'incident']));
    assert.ok(t.items.some((i) => i.key === ref));
    cliOk(store.db, ['ticket', 'comment', ref, 'internal note', '--internal']);
    const shown = JSON.parse(cliOk(store.db, ['ticket', 'show', ref, '--json']));
    assert.equal(shown.comments.at(-1).public, false);
  });
});

describe('a ticket typed in for a caller', () => {
  it('names the requester and the channel; the customer follows the requester', () => {
    cliOk(store.db, ['user', 'add', 'kim', '--role', 'requester', '--customer', 'acme']);
    const t = JSON.parse(cliOk(store.db, ['--json', 'ticket', 'create', '--kind', 'request',
      '--title', 'Visitor badge', '--requester', 'kim', '--channel', 'walk_in']));
    assert.deepEqual([t.requester, t.customer, t.channel], ['kim', 'acme', 'walk_in']);
    // by default the CLI logs a phone call, taken by whoever runs it
    const p = JSON.parse(cliOk(store.db, ['--json', 'ticket', 'create', '--kind', 'inquiry',
      '--title', 'Where is my order?', '--requester', 'kim']));
    assert.equal(p.channel, 'phone');
  });

  it('adds a new caller with --requester-name/-email/-phone in the same write', () => {
    const t = JSON.parse(cliOk(store.db, ['--json', 'ticket', 'create', '--kind', 'incident',
      '--title', 'Printer jams', '--customer', 'acme', '--requester-name', 'Carol Chen',
      '--requester-email', 'Carol.Chen+desk@ACME.example', '--requester-phone', '+81 3-1234-5678']));
    // the username is the address in lower case, '+' made '_' (docs/desk.md)
    assert.deepEqual([t.requester, t.customer, t.channel], ['carol.chen_desk@acme.example', 'acme', 'phone']);
    const users = JSON.parse(cliOk(store.db, ['--json', 'user', 'list'])).items;
    const u = users.find((x) => x.username === t.requester);
    assert.deepEqual([u.role, u.customer, u.name, u.email, u.phone],
      ['requester', 'acme', 'Carol Chen', 'Carol.Chen+desk@ACME.example', '+81 3-1234-5678']);
    // without --as the CLI is the system: its own tickets show requester 'system'
    const s = JSON.parse(cliOk(store.db, ['--json', 'ticket', 'show', ref]));
    assert.equal(s.requester, 'system');
    const sys = JSON.parse(cliOk(store.db, ['--json', 'ticket', 'list', '--requester', 'system'])).items;
    assert.ok(sys.some((x) => x.key === ref) && !sys.some((x) => x.key === t.key));
  });

  it('refuses a taken address, a missing customer or --requester beside them, storing nothing', () => {
    const before = dump();
    const base = ['ticket', 'create', '--kind', 'incident', '--title', 'Again'];
    let r = cli(store.db, [...base, '--customer', 'acme', '--requester-name', 'Carol',
      '--requester-email', 'carol.chen+desk@acme.example']);
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /^itsm: .*carol\.chen_desk@acme\.example/);
    r = cli(store.db, [...base, '--requester-name', 'Dan', '--requester-email', 'dan@acme.example']);
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /customer/);
    r = cli(store.db, [...base, '--customer', 'acme', '--requester-name', 'Dan',
      '--requester-email', 'dan@acme.example', '--requester-phone', 'call me']);
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /phone/);
    r = cli(store.db, [...base, '--customer', 'acme', '--requester', 'kim', '--requester-name', 'Dan',
      '--requester-email', 'dan@acme.example']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /not both/);
    assert.match(r.stderr, /usage: itsm ticket create/);
    assert.equal(dump(), before);
  });
});

describe('"--" ends the options', () => {
  it('so a comment may start with "-"', () => {
    const key = JSON.parse(cliOk(store.db, ['--json', 'ticket', 'create', '--kind', 'request',
      '--title', 'Vote on the new printer'])).key;
    // without "--" it reads as an unknown option
    const refused = cli(store.db, ['ticket', 'comment', key, '-1 from me']);
    assert.equal(refused.status, 2);
    assert.match(refused.stderr, /unknown option '-1 from me'/);

    cliOk(store.db, ['ticket', 'comment', key, '--', '-1 from me']);
    cliOk(store.db, ['ticket', 'comment', key, '--internal', '--', '--help']);
    cliOk(store.db, ['ticket', 'comment', '--', key, '--json']);
    cliOk(store.db, ['ticket', 'comment', key, '--', '-']);
    const shown = JSON.parse(cliOk(store.db, ['ticket', 'show', key, '--json']));
    assert.deepEqual(shown.comments.map((c) => [c.body, c.public]), [
      ['-1 from me', true],
      ['--help', false],
      ['--json', true],
      ['-', true],
    ]);
  });

  it('and the words after it still count as arguments', () => {
    const r = cli(store.db, ['ticket', 'show', '--', ref, 'extra']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /unexpected argument 'extra'/);
  });
});

describe('bad usage exits 2 with the usage on stderr', () => {
  it('an unknown subcommand, naming it, with the group usage', () => {
    for (const args of [['ticket', 'bogus'], ['ci', 'frobnicate', 'web1'],
      ['staff', 'career', 'drop', 'ito'], ['import', 'users', 'u.jsonl'], ['token', 'rotate', 'x']]) {
      const r = cli(store.db, args);
      assert.equal(r.status, 2, `itsm ${args.join(' ')}: ${r.stderr}`);
      assert.equal(r.stdout, '');
      assert.ok(r.stderr.includes(`itsm: unknown subcommand '${args[1]}'`), r.stderr);
      assert.ok(r.stderr.includes(`usage: itsm ${args[0]} `), r.stderr);
    }
  });

  it('a group without a subcommand prints the group usage', () => {
    for (const command of commands.filter((c) => subcommands[c].length)) {
      const r = cli(store.db, [command]);
      assert.equal(r.status, 2, command);
      assert.equal(r.stdout, '');
      for (const sub of subcommands[command]) {
        assert.ok(r.stderr.includes(`itsm ${command} ${sub}`), `${sub} in ${r.stderr}`);
      }
    }
  });

  it('a wrong number of arguments, with that subcommand\'s usage', () => {
    const cases = [
      ['ticket', 'show'],
      ['ticket', 'show', ref, 'INC-999'],
      ['ticket', 'comment', ref],
      ['ticket', 'list', 'open'],
      ['ticket', 'create', 'now'],
      ['user', 'list', 'everyone'],
      ['customer', 'list', 'acme'],
      ['customer', 'add'],
      ['ci', 'relate', 'web1', 'depends_on'],
      ['ci', 'export', 'all.csv'],
      ['staff', 'verify', 'ito'],
      ['staff', 'career', 'add'],
      ['token', 'create'],
      ['import', 'tickets'],
      ['calendar', 'due'],
      ['check', 'add'],
      ['audit', 'verify', 'now'],
      ['serve', 'now'],
    ];
    for (const args of cases) {
      const was = dump();
      const r = cli(store.db, args);
      const what = `itsm ${args.join(' ')}`;
      assert.equal(r.status, 2, `${what}: ${r.stdout}${r.stderr}`);
      const sub = args[0] === 'serve' ? 'serve'
        : args[1] === 'career' ? 'staff career add' : `${args[0]} ${args[1]}`;
      assert.ok(r.stderr.includes(`usage: itsm ${sub}`), `${what}: ${r.stderr}`);
      assert.equal(dump(), was, `${what} changed the store`);
    }
  });
});

describe('itsm.conf.example', () => {
  it('is exactly what serve --print-config prints (every option, no drift)', async () => {
    const { readFileSync } = await import('node:fs');
    const { resolve } = await import('node:path');
    const r = cli(neverCreated, ['serve', '--print-config']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, readFileSync(resolve('itsm.conf.example'), 'utf8'));
  });

  it('reads back as a configuration, every line within what the reader takes (200 bytes)', async () => {
    const { readFileSync } = await import('node:fs');
    const { resolve } = await import('node:path');
    const text = readFileSync(resolve('itsm.conf.example'), 'utf8');
    const long = text.split('\n').filter((l) => Buffer.byteLength(l) >= 200);
    assert.deepEqual(long, []);
    // the packaged /etc/itsm/itsm.conf is this file: a command reads it
    const r = cli(neverCreated, ['--config', resolve('itsm.conf.example'), 'version']);
    assert.equal(r.status, 0, r.stderr);
  });
});

describe('serve refuses a configuration it cannot use, before it listens', () => {
  for (const [conf, message] of [
    ['[server]\nlisten = nonsense\n', /cannot parse listen address 'nonsense'/],
    ['[metrics]\nlisten = nonsense\n', /cannot parse metrics.listen 'nonsense'/],
    ['[metrics]\nlisten = 127.0.0.1:99999\n', /cannot parse metrics.listen/],
  ]) {
    it(conf.trim().replace('\n', ' '), async () => {
      const { writeFileSync } = await import('node:fs');
      const file = join(helpStore.dir, 'bad.conf');
      writeFileSync(file, conf);
      // (refused while reading the options: nothing listens, so no port is taken)
      const r = cli(join(helpStore.dir, 'bad.db'), ['serve', '--config', file]);
      assert.equal(r.status, 1, r.stderr);
      assert.match(r.stderr, message);
    });
  }
});
