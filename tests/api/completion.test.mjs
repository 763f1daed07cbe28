// completion.test.mjs — the bash completion, made from `itsm help
// --commands-json` as `make completion` makes it, sourced in bash: what
// COMPREPLY holds after typical words, and that every command, every
// subcommand (each word of a two-word name) and every option of the
// tables is offered where it belongs.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeStore, generateDocs } from './lib.mjs';

const tmp = makeStore();
let gen;

// COMPREPLY after each list of words (the last one is being completed), all
// in one bash that sourced the completion and runs from tmp.dir.
function complete(cases) {
  const q = (w) => `'${w.replaceAll("'", "'\\''")}'`;
  const script = [`source ${q(gen.completion)}`, `cd ${q(tmp.dir)}`,
    ...cases.map((words) => `COMP_WORDS=(${words.map(q).join(' ')}); COMP_CWORD=${words.length - 1}; ` +
      `COMPREPLY=(); _itsm; printf '%s\\n' "\${COMPREPLY[*]}"`)].join('\n');
  const r = spawnSync('bash', ['--norc', '--noprofile', '-c', script], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, '');
  const lines = r.stdout.split('\n');
  return cases.map((_, i) => (lines[i] ? lines[i].split(' ') : []));
}

before(() => {
  gen = generateDocs(tmp.dir);
  writeFileSync(join(tmp.dir, 'store-a.db'), '');
  writeFileSync(join(tmp.dir, 'store-b.db'), '');
});
after(() => tmp.cleanup());

describe('bash completion', () => {
  it('completes a command, a subcommand, an option', () => {
    const [cmd, sub, opt] = complete([['itsm', 'tic'], ['itsm', 'ticket', ''], ['itsm', 'ticket', 'list', '--st']]);
    assert.deepEqual(cmd, ['ticket']);
    assert.deepEqual(sub, ['create', 'list', 'show', 'update', 'comment', 'history', 'attach', 'attachments',
      'link', 'links', 'unlink', 'merge']);
    assert.deepEqual(opt, ['--status']);
  });

  it('completes the command after help', () => {
    const [one, all] = complete([['itsm', 'help', 'cal'], ['itsm', 'help', '']]);
    assert.deepEqual(one, ['calendar']);
    assert.deepEqual(all, gen.doc.commands.map((c) => c.name));
  });

  it('completes file names after --db, --config and --file, nothing after other values', () => {
    const [db, config, file, afterDb, status, key] = complete([
      ['itsm', '--db', 'store-'], ['itsm', '--config', 'store-'], ['itsm', 'skill', 'assess', '--file', 'store-'],
      ['itsm', '--db', 'store-a.db', 'tic'], ['itsm', 'ticket', 'list', '--status', ''], ['itsm', 'ticket', 'show', '']]);
    // compgen -f gives the directory's order; bash sorts what it shows
    assert.deepEqual(db.sort(), ['store-a.db', 'store-b.db']);
    assert.deepEqual(config.sort(), ['store-a.db', 'store-b.db']);
    assert.deepEqual(file.sort(), ['store-a.db', 'store-b.db']);
    assert.deepEqual(afterDb, ['ticket']);
    assert.deepEqual(status, []);
    assert.deepEqual(key, []);
  });

  it('offers every command, every word of every subcommand and every option of the tables', () => {
    const cases = [['itsm', '']];
    const want = [gen.doc.commands.map((c) => c.name)];
    for (const c of gen.doc.commands) {
      const firsts = [...new Set(c.subcommands.filter((s) => s.name).map((s) => s.name.split(' ')[0]))];
      if (firsts.length) { cases.push(['itsm', c.name, '']); want.push(firsts); }
      for (const s of c.subcommands) {
        const words = s.name ? s.name.split(' ') : [];
        if (words.length === 2) {
          cases.push(['itsm', c.name, words[0], '']);
          want.push(c.subcommands.filter((t) => t.name.startsWith(`${words[0]} `)).map((t) => t.name.split(' ')[1]));
        }
        cases.push(['itsm', '--json', c.name, ...words, '--']);
        want.push([...s.options.map((o) => o.name), '--json', '--help']);
      }
    }
    const got = complete(cases);
    cases.forEach((words, i) => assert.deepEqual(got[i], want[i], words.join(' ')));
    assert.ok(cases.length > 100, `${cases.length} cases`);
  });
});
