// man.test.mjs — the man pages cannot drift from the binary. The pages are
// made from `itsm help --commands-json` as `make man` makes them; this holds
// that JSON against the tables the CLI really runs on (each subcommand's
// --help, `itsm --help`, `serve --print-config`), and the rendered pages
// against the JSON: every command, subcommand and option is in itsm(1),
// every configuration key in itsm.conf(5) under its section, and man-db
// renders both without a warning.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { makeStore, cli, generateDocs } from './lib.mjs';

const tmp = makeStore();
const neverCreated = join(tmp.dir, 'never-created.db');
let gen;

// A page as man-db shows it at 80 columns: plain text, hyphens as typed,
// words whole, and what man printed on stderr with --warnings.
function render(page) {
  const r = spawnSync('man', ['--warnings', '-l', page], {
    encoding: 'utf8', env: { ...process.env, MANWIDTH: '80', LC_ALL: 'C.UTF-8', MAN_KEEP_FORMATTING: '' },
  });
  assert.equal(r.status, 0, r.stderr);
  // a word hyphenated at the end of a line ("De‐\n fault") is one word again
  const text = r.stdout.replace(/\u2010\n\s*/g, '').replace(/[\u2010\u2011\u2212]/g, '-');
  return { text, warnings: r.stderr };
}
const squash = (s) => s.replace(/\s+/g, ' ').trim();

before(() => { gen = generateDocs(tmp.dir); });
after(() => tmp.cleanup());

describe('itsm help --commands-json is the command table', () => {
  it('holds every command of itsm --help, and only those', () => {
    const r = cli(neverCreated, ['--help']);
    const listed = [...r.stdout.split('commands:')[1].matchAll(/^ {2}([a-z][a-z-]*) /gm)].map((m) => m[1]);
    assert.deepEqual(gen.doc.commands.map((c) => c.name), listed);
    assert.ok(listed.length >= 18, listed);
  });

  it('holds the global options itsm --help names, and only those', () => {
    const usage = cli(neverCreated, ['--help']).stdout.split('commands:')[0];
    const named = new Set(usage.match(/--[a-z][a-z-]*/g));
    named.add('--help'); // itsm --help, -h: not in its own usage line
    assert.deepEqual(new Set(gen.doc.global_options.map((o) => o.name)), named);
  });

  it("gives each subcommand the usage its --help prints", () => {
    let n = 0;
    for (const c of gen.doc.commands) {
      for (const s of c.subcommands) {
        const r = cli(neverCreated, [c.name, ...(s.name ? s.name.split(' ') : []), '--help']);
        assert.equal(r.status, 0, `${c.name} ${s.name}: ${r.stderr}`);
        assert.equal(r.stdout, `usage: ${s.usage}\n`, `${c.name} ${s.name}`);
        n++;
      }
    }
    assert.ok(n >= 90, `${n} subcommands`);
  });

  it("names in each usage exactly the options its table takes", () => {
    const globals = new Set(gen.doc.global_options.map((o) => o.name));
    for (const c of gen.doc.commands) {
      for (const s of c.subcommands) {
        const where = `itsm ${c.name} ${s.name}`;
        const inUsage = new Set(s.usage.match(/--[a-z][a-z0-9-]*/g) ?? []);
        const inTable = new Set(s.options.map((o) => o.name));
        for (const o of inTable) assert.ok(inUsage.has(o), `${where}: ${o} takes no place in its usage`);
        for (const o of inUsage) assert.ok(inTable.has(o) || globals.has(o), `${where}: its usage names ${o}, which it does not take`);
      }
    }
  });

  it('tells which options take a value', () => {
    const list = gen.doc.commands.find((c) => c.name === 'ticket').subcommands.find((s) => s.name === 'list');
    assert.deepEqual(list.options.find((o) => o.name === '--status'), { name: '--status', value: true });
    const comment = gen.doc.commands.find((c) => c.name === 'ticket').subcommands.find((s) => s.name === 'comment');
    assert.deepEqual(comment.options.find((o) => o.name === '--internal'), { name: '--internal', value: false });
    assert.deepEqual(gen.doc.global_options.find((o) => o.name === '--json'), { name: '--json', value: false });
  });

  it('holds every option serve --print-config prints', () => {
    const printed = cli(neverCreated, ['serve', '--print-config']).stdout;
    // Sections whose keys are the admin's own names are one option each.
    const SECTIONS = ['commands', 'shift', 'imap'];
    let section = '';
    const keys = [];
    for (const line of printed.split('\n')) {
      const s = line.match(/^\[([a-z_]+)\]$/);
      if (s) { section = s[1]; keys.push(section); continue; }
      const k = line.match(/^([a-z_]+) = /);
      if (k && !SECTIONS.includes(section)) keys.push(`${section}.${k[1]}`);
    }
    const printedNames = keys.filter((k) => k.includes('.') || SECTIONS.includes(k));
    assert.deepEqual(gen.doc.config.map((o) => o.name).sort(), printedNames.sort());
    assert.ok(printedNames.length >= 25, printedNames);
  });
});

describe('itsm help', () => {
  it('prints the usage of itsm, or of one command, as --help does', () => {
    const all = cli(neverCreated, ['help']);
    assert.equal(all.status, 0, all.stderr);
    assert.equal(all.stdout, cli(neverCreated, ['--help']).stdout);
    for (const command of ['ticket', 'serve', 'staff']) {
      const one = cli(neverCreated, ['help', command]);
      assert.equal(one.status, 0, one.stderr);
      assert.equal(one.stdout, cli(neverCreated, [command, '--help']).stdout);
    }
  });

  it('refuses an unknown command and a command beside --commands-json', () => {
    const r = cli(neverCreated, ['help', 'tickets']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /^itsm: unknown command 'tickets'\n/);
    const both = cli(neverCreated, ['help', '--commands-json', 'ticket']);
    assert.equal(both.status, 2);
    assert.equal(both.stdout, '');
    assert.ok(!existsSync(neverCreated), 'help opened no store');
  });
});

describe('itsm(1)', () => {
  it('renders without a warning', () => {
    assert.equal(render(gen.page1).warnings, '');
  });

  it('names every command, each usage line of every subcommand, every option', () => {
    const text = render(gen.page1).text;
    const flat = squash(text);
    for (const c of gen.doc.commands) {
      assert.match(text, new RegExp(`^ {3}${c.name}$`, 'm'), `a heading for ${c.name}`);
      for (const s of c.subcommands) {
        for (const line of s.usage.split('\n')) assert.ok(flat.includes(squash(line)), `'${squash(line)}' in itsm.1`);
        for (const o of s.options) assert.ok(flat.includes(o.name), `${o.name} of ${c.name} ${s.name}`);
      }
    }
    for (const o of gen.doc.global_options) assert.ok(flat.includes(o.name), o.name);
    for (const h of ['SYNOPSIS', 'DESCRIPTION', 'COMMANDS BY CAPABILITY', 'EXAMPLES', 'FILES', 'ENVIRONMENT', 'EXIT STATUS', 'SEE ALSO']) {
      assert.match(text, new RegExp(`^${h}$`, 'm'), h);
    }
  });

  it('is refused when its prose leaves a command out', () => {
    const root = resolve(new URL('../..', import.meta.url).pathname);
    const cut = readFileSync(join(root, 'man/itsm.1.scd'), 'utf8').replaceAll('*outage*', 'outage');
    writeFileSync(join(tmp.dir, 'cut.scd'), cut);
    const r = spawnSync('node', [join(root, 'scripts/man.mjs'), join(tmp.dir, 'cut.scd'), gen.json], { encoding: 'utf8' });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /does not name command 'outage'/);
  });
});

describe('itsm.conf(5)', () => {
  it('renders without a warning', () => {
    assert.equal(render(gen.page5).warnings, '');
  });

  it('names every option under its section, with its default', () => {
    const text = render(gen.page5).text;
    const sections = new Map();
    let cur = null;
    for (const line of text.split('\n')) {
      const s = line.match(/^ {3}\[([a-z_]+)\]$/);
      if (s) { cur = s[1]; sections.set(cur, []); continue; }
      if (cur) sections.get(cur).push(line);
    }
    for (const o of gen.doc.config) {
      if (o.type === 'section') {
        assert.ok(sections.has(o.name), `[${o.name}]`);
        for (const ex of o.example.split('\n')) assert.ok(squash(sections.get(o.name).join('\n')).includes(squash(ex)), ex);
        continue;
      }
      const [section, key] = o.name.split('.');
      const body = (sections.get(section) ?? []).join('\n');
      assert.match(body, new RegExp(`^ {7}${key} = ${o.type}$`, 'm'), `${key} under [${section}]`);
      // without spaces: a long default may break at a hyphen
      const def = `Default${o.type === 'string' ? `"${o.default}"` : o.default}`.replace(/\s+/g, '');
      if (o.default !== '') assert.ok(body.replace(/\s+/g, '').includes(def), `${o.name} default`);
    }
  });
});
