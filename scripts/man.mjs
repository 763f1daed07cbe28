// man.mjs — fill a man page's scdoc template with what the command tables
// hold, so that the page names every command, subcommand, option and
// configuration key the binary has, and nothing else.
//
//   node scripts/man.mjs TEMPLATE.scd COMMANDS.json > PAGE.scd
//
// COMMANDS.json is `itsm help --commands-json`. The template is prose
// written by hand with placeholders on lines of their own: @COMMANDS@ (each
// command with its summary and the usage of its subcommands, in the table's
// order) and @CONFIG@ (every itsm.conf option by section, with its type,
// default, bounds and help). The prose must name every command as *NAME*
// and every global option as *--OPTION*: a command added to the table
// without its place in the hand-written overview fails the build, with the
// name of what is missing.
import { readFileSync } from 'node:fs';

const [template, json] = process.argv.slice(2);
if (!template || !json) {
  process.stderr.write('usage: node scripts/man.mjs TEMPLATE.scd COMMANDS.json\n');
  process.exit(2);
}
const doc = JSON.parse(readFileSync(json, 'utf8'));
const text = readFileSync(template, 'utf8');

// scdoc's inline markup (* _ \) as literal characters.
const esc = (s) => s.replace(/[\\*_]/g, (c) => `\\${c}`);

function commands() {
  const out = [];
  for (const c of doc.commands) {
    out.push(`## ${c.name}`, '', `${esc(c.summary[0].toUpperCase() + c.summary.slice(1))}.`, '');
    out.push('```');
    for (const s of c.subcommands) out.push(...s.usage.split('\n'));
    out.push('```', '');
  }
  return out.join('\n');
}

function config() {
  const out = [];
  let section = null;
  for (const o of doc.config) {
    const dot = o.name.indexOf('.');
    if (o.type === 'section') {
      out.push(`## [${o.name}]`, '', `${esc(o.help[0].toUpperCase() + o.help.slice(1))}.`,
        'Each key names a template:', '', '```', ...o.example.split('\n'), '```', '');
      section = o.name;
      continue;
    }
    const name = dot < 0 ? '' : o.name.slice(0, dot);
    if (name !== section) {
      out.push(`## [${name}]`, '');
      section = name;
    }
    const def = o.default === '' ? 'empty' : o.type === 'string' ? `"${esc(o.default)}"` : o.default;
    const bounds = o.type === 'integer' ? `, from ${o.min} to ${o.max}` : '';
    out.push(`*${esc(o.name.slice(dot + 1))}* = _${o.type}_`,
      `\t${esc(o.help[0].toUpperCase() + o.help.slice(1))}. Default ${def}${bounds}.`, '');
  }
  return out.join('\n');
}

const missing = [];
if (text.includes('@COMMANDS@')) {
  for (const c of doc.commands) if (!text.includes(`*${c.name}*`)) missing.push(`command '${c.name}'`);
  for (const o of doc.global_options) if (!text.includes(`*${o.name}*`)) missing.push(`global option '${o.name}'`);
}
if (missing.length) {
  process.stderr.write(`man.mjs: ${template} does not name ${missing.join(', ')}\n`);
  process.exit(1);
}
process.stdout.write(text.replace(/^@COMMANDS@$/m, () => commands()).replace(/^@CONFIG@$/m, () => config()));
