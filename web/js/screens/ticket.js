// ticket.js — one ticket. Requesters see their ticket's public conversation
// and status changes, reply, confirm or reopen a resolution, cancel while
// nobody works on it, and rate the service once it is resolved. Staff see
// the whole timeline (every field change, public replies and internal
// notes), take or assign it, move its status where the lifecycle allows,
// and write public replies or internal notes. Everyone sees the ticket's
// files (a requester the public ones) and attaches more while it is open;
// its links to other tickets are listed, and staff link it to another
// (docs/attachments.md). Staff see the time spent on it and record theirs
// (docs/cost.md; a requester never sees it). The view follows live changes.
//
// A ticket the server will not show (another customer's) is "not found":
// the error comes from the API and no data is drawn.

import { h, clear, toast, announce } from '../dom.js';
import { get, post, patch, optional, upload, qs, ApiError } from '../api.js';
import { t, fmtTime, statusName, kindName } from '../i18n.js';
import { movesFor } from '../lifecycle.js';
import { priorityBadge, statusPill } from '../tickets.js';
import { countdown } from '../sla.js';
import { onTicketChange, debounce } from '../live.js';

const MOVE_LABEL = {
  new: 'move.new', assigned: 'move.assigned', in_progress: 'move.in_progress', pending: 'move.pending',
  resolved: 'move.resolved', closed: 'move.closed', cancelled: 'move.cancelled',
};

async function loadRating(key) {
  try {
    return await get(`/api/v1/tickets/${encodeURIComponent(key)}/rating`);
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return null;
    throw e;
  }
}

function timelineEntries(history, comments, staff) {
  // Each list comes in the order things happened; merged by time (whole
  // seconds), a tie keeps each list's own order and puts changes first.
  const out = [];
  history.forEach((x, i) => {
    if (staff || x.field === 'status') out.push({ at: x.at, kind: 'change', x, n: i });
  });
  comments.forEach((c, i) => out.push({ at: c.created_at, kind: c.public ? 'public' : 'internal', x: c, n: i }));
  const rank = (e) => (e.kind === 'change' ? 0 : 1);
  out.sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || rank(a) - rank(b) || a.n - b.n);
  return out;
}

function changeText(x) {
  const show = (f, v) => (v == null || v === '' ? t('common.none') : f === 'status' ? statusName(v) : v);
  if (x.old == null && x.field === 'status') return t('timeline.created', { status: statusName(x.new) });
  return t('timeline.changed', { field: t(`field.${x.field}`) === `field.${x.field}` ? x.field : t(`field.${x.field}`), old: show(x.field, x.old), new: show(x.field, x.new) });
}

function timeline(entries, staff) {
  if (!entries.length) return h('p', { class: 'empty' }, t('timeline.empty'));
  return h('ol', { class: 'timeline', id: 'timeline' }, entries.map((e) => {
    const when = h('time', { datetime: e.at }, fmtTime(e.at));
    if (e.kind === 'change') {
      return h('li', { class: 'tl-change' },
        h('span', { class: 'tl-meta' }, h('strong', {}, e.x.actor), ' · ', when),
        h('span', { class: 'tl-text' }, changeText(e.x)));
    }
    const internal = e.kind === 'internal';
    return h('li', { class: internal ? 'tl-comment tl-internal' : 'tl-comment', dataset: { comment: e.x.id } },
      h('div', { class: 'tl-meta' }, h('strong', {}, e.x.author), ' · ', when,
        internal ? h('span', { class: 'tag tag-internal' }, t('timeline.internal')) : staff ? h('span', { class: 'tag' }, t('timeline.public')) : null),
      h('p', { class: 'tl-body pre' }, e.x.body));
  }));
}

function linkedItems(tk) {
  const links = [];
  const cis = [].concat(tk.ci || [], tk.cis || []).map((c) => (typeof c === 'string' ? c : c && c.key)).filter(Boolean);
  const roles = new Map((tk.cis || []).filter((c) => c && c.key).map((c) => [c.key, c.role]));
  for (const k of cis) {
    const role = roles.get(k);
    links.push(h('li', {}, h('a', { href: `/cmdb/${encodeURIComponent(k)}` }, `${t('ticket.ci')}: ${k}`), role ? ` (${role})` : ''));
  }
  for (const l of Array.isArray(tk.links) ? tk.links : []) {
    const key = typeof l === 'string' ? l : l && (l.key || l.target);
    if (!key) continue;
    const href = /^[A-Z]+-\d+$/.test(key) ? `/tickets/${encodeURIComponent(key)}` : `/cmdb/${encodeURIComponent(key)}`;
    links.push(h('li', {}, h('a', { href }, l.type ? `${l.type}: ${key}` : key)));
  }
  if (tk.problem) links.push(h('li', {}, h('a', { href: `/tickets/${encodeURIComponent(tk.problem)}` }, `${t('ticket.problem')}: ${tk.problem}`)));
  return links.length ? h('ul', { class: 'links' }, links) : h('p', { class: 'muted' }, t('ticket.nolinks'));
}

function slaBlock(tk) {
  const sla = tk.sla;
  if (!sla || typeof sla !== 'object') return h('p', { class: 'muted' }, t('sla.none'));
  const met = (v) => (v == null ? t('sla.running') : v ? t('sla.met') : t('sla.breached'));
  return h('dl', { class: 'facts' },
    h('dt', {}, t('sla.name')), h('dd', {}, sla.name || '—'),
    h('dt', {}, t('sla.response')), h('dd', {}, sla.response_due ? fmtTime(sla.response_due) : '—', ' · ', met(sla.response_met)),
    h('dt', {}, t('sla.resolution')), h('dd', {}, sla.resolution_due ? fmtTime(sla.resolution_due) : '—', ' · ', met(sla.resolution_met)),
    h('dt', {}, t('sla.now')), h('dd', {}, sla.paused ? t('sla.paused') : countdown(tk)));
}

export async function render({ main, params, user, setTitle, isCurrent }) {
  const ref = params.key;
  const staff = user.role !== 'requester';
  let tk;
  let staffUsers = [];

  const head = h('div', {});
  const side = h('aside', { class: 'ticket-side', 'aria-label': t('ticket.details') });
  const resolution = h('div', {});
  const conv = h('div', {});
  const ratingBox = h('div', {});
  const known = h('div', {});
  const mailBox = h('div', {});
  const filesBox = h('div', {});
  const linksBox = h('div', {});
  const timeBox = h('div', {});
  const errBox = h('p', { class: 'form-error', role: 'alert' });

  const body = h('textarea', { id: 'comment', name: 'comment', rows: '4', required: true });
  const publicBtn = h('button', { type: 'submit', class: 'primary', value: 'public', 'data-action': 'reply' }, staff ? t('comment.public') : t('comment.send'));
  const internalBtn = staff ? h('button', { type: 'submit', value: 'internal', 'data-action': 'note' }, t('comment.internal')) : null;
  const commentForm = h('form', { class: 'comment-form', id: 'comment-form' },
    h('label', { for: 'comment' }, staff ? t('comment.label.staff') : t('comment.label')), body,
    h('div', { class: 'actions' }, publicBtn, internalBtn));
  commentForm.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const pub = !(ev.submitter && ev.submitter.value === 'internal');
    if (!body.value.trim()) { body.focus(); return; }
    await act(async () => {
      await post(`/api/v1/tickets/${encodeURIComponent(tk.key)}/comments`, { body: body.value, public: pub });
      body.value = '';
      toast(pub ? t('comment.sent') : t('comment.noted'), 'ok');
    });
  });

  const article = h('article', { class: 'ticket' }, head,
    h('div', { class: 'ticket-grid' },
      h('div', { class: 'ticket-main' }, known, resolution, ratingBox, conv, mailBox, filesBox, linksBox, timeBox, errBox, commentForm),
      side));

  async function act(fn) {
    errBox.textContent = '';
    for (const b of article.querySelectorAll('button')) b.disabled = true;
    try {
      await fn();
    } catch (e) {
      if (e.status === 409 && e.code === 'conflict') toast(t('ticket.conflict'), 'warn');
      else errBox.textContent = e.message;
    }
    await refresh();
  }

  const move = (to) => act(async () => {
    tk = await patch(`/api/v1/tickets/${encodeURIComponent(tk.key)}`, { version: tk.version, status: to });
    announce(t('ticket.moved', { status: statusName(to) }));
  });
  const regroup = (group) => act(async () => {
    tk = await patch(`/api/v1/tickets/${encodeURIComponent(tk.key)}`, { version: tk.version, group: group || null });
    announce(t('ticket.group_set', { group: group || '—' }));
  });
  const assign = (who) => act(async () => {
    tk = await patch(`/api/v1/tickets/${encodeURIComponent(tk.key)}`, { version: tk.version, assignee: who });
    announce(who ? t('ticket.assigned', { who }) : t('ticket.unassigned'));
  });

  function drawHead() {
    clear(head).append(
      h('p', { class: 'crumbs' }, h('a', { href: staff ? '/queue' : '/portal' }, staff ? t('nav.queue') : t('nav.portal'))),
      h('h1', { id: 'ticket-title' }, h('span', { class: 'key' }, tk.key), ' ', h('span', { class: 'title', 'data-title': '' }, tk.title)),
      h('div', { class: 'meta' }, priorityBadge(tk.priority), ' ', statusPill(tk.status), ' ',
        h('span', { class: 'kind' }, kindName(tk.kind)), ' ', countdown(tk)));
  }

  function drawSide(rating) {
    const facts = h('dl', { class: 'facts' },
      h('dt', {}, t('field.requester')), h('dd', {}, tk.requester || '—'),
      h('dt', {}, t('field.customer')), h('dd', {}, tk.customer || '—'),
      h('dt', {}, t('field.service')), h('dd', {}, tk.service || '—'),
      h('dt', {}, t('field.group')), h('dd', { id: 'group' }, tk.group || '—'),
      h('dt', {}, t('field.assignee')), h('dd', { id: 'assignee' }, tk.assignee || t('ticket.unassigned')),
      h('dt', {}, t('field.impact')), h('dd', {}, t(`impact.${tk.impact}`)),
      h('dt', {}, t('field.urgency')), h('dd', {}, t(`urgency.${tk.urgency}`)),
      h('dt', {}, t('field.channel')), h('dd', {}, tk.channel || '—'),
      h('dt', {}, t('field.created_at')), h('dd', {}, fmtTime(tk.created_at)),
      h('dt', {}, t('field.updated_at')), h('dd', {}, fmtTime(tk.updated_at)));
    clear(side).append(h('section', { class: 'panel' }, h('h2', {}, t('ticket.details')), facts));
    const moves = movesFor(tk, user.role);
    if (staff) {
      const open = !['closed', 'cancelled'].includes(tk.status);
      const pick = h('select', { id: 'assign-to' },
        h('option', { value: '' }, t('ticket.unassigned')),
        staffUsers.map((u) => h('option', { value: u.username, selected: u.username === tk.assignee }, `${u.name || u.username} (${u.username})`)));
      const work = h('section', { class: 'panel' }, h('h2', {}, t('ticket.work')));
      if (open && tk.assignee !== user.username) work.append(h('button', { type: 'button', class: 'primary', 'data-action': 'take', onclick: () => assign(user.username) }, t('ticket.take')));
      if (open) {
        work.append(h('div', { class: 'field inline' }, h('label', { for: 'assign-to' }, t('ticket.assign_to')), pick,
          h('button', { type: 'button', 'data-action': 'assign', onclick: () => assign(pick.value || null) }, t('ticket.assign'))));
        const grp = h('input', { id: 'group-to', value: tk.group || '', size: 12 });
        work.append(h('div', { class: 'field inline' }, h('label', { for: 'group-to' }, t('field.group')), grp,
          h('button', { type: 'button', 'data-action': 'regroup', onclick: () => regroup(grp.value.trim()) }, t('ticket.set_group'))));
      }
      if (moves.length) {
        work.append(h('div', { class: 'moves', role: 'group', 'aria-label': t('ticket.moves') },
          moves.map((to) => h('button', { type: 'button', class: `move move-${to}`, dataset: { move: to }, onclick: () => move(to) }, t(MOVE_LABEL[to])))));
      }
      if (!open) work.append(h('p', { class: 'muted' }, t('ticket.final')));
      side.append(work);
      side.append(h('section', { class: 'panel' }, h('h2', {}, t('ticket.sla')), slaBlock(tk)));
      side.append(h('section', { class: 'panel' }, h('h2', {}, t('ticket.linked')), linkedItems(tk)));
      if (rating) side.append(h('section', { class: 'panel' }, h('h2', {}, t('rating.title')), ratingView(rating)));
    } else if (moves.includes('cancelled')) {
      side.append(h('section', { class: 'panel' }, h('button', { type: 'button', 'data-move': 'cancelled', onclick: () => { if (confirm(t('ticket.cancel.confirm'))) move('cancelled'); } }, t('ticket.cancel'))));
    }
  }

  function ratingView(r) {
    return h('div', { class: 'rating-view', 'data-rating': r.score },
      h('p', { class: 'stars', 'aria-label': t('rating.stars', { n: r.score }) }, '★'.repeat(r.score) + '☆'.repeat(5 - r.score)),
      r.comment ? h('p', { class: 'pre' }, r.comment) : null,
      h('p', { class: 'muted' }, t('rating.by', { who: r.rater, at: fmtTime(r.created_at) })));
  }

  let ratingForm = null;
  function ratingFormNew() {
    const comment = h('textarea', { id: 'rating-comment', rows: '3', maxlength: '4000' });
    const stars = h('fieldset', { class: 'stars-input' }, h('legend', {}, t('rating.score')),
      [1, 2, 3, 4, 5].map((n) => h('span', { class: 'choice' },
        h('input', { type: 'radio', name: 'score', id: `score-${n}`, value: String(n) }),
        h('label', { for: `score-${n}` }, `${n} — ${t(`rating.${n}`)}`))));
    const form = h('form', { class: 'panel rating-form', id: 'rating-form' },
      h('h2', {}, t('rating.title')), stars,
      h('div', { class: 'field' }, h('label', { for: 'rating-comment' }, t('rating.comment')), comment),
      h('button', { type: 'submit', class: 'primary' }, t('rating.submit')));
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      const picked = form.querySelector('input[name=score]:checked');
      if (!picked) { errBox.textContent = t('rating.pick'); return; }
      act(async () => {
        await post(`/api/v1/tickets/${encodeURIComponent(tk.key)}/rating`, { score: Number(picked.value), comment: comment.value });
        toast(t('rating.thanks'), 'ok');
      });
    });
    return form;
  }

  function drawResolution(rating) {
    clear(resolution);
    clear(ratingBox);
    if (staff) return;
    if (tk.status === 'resolved') {
      resolution.append(h('section', { class: 'panel callout', 'aria-labelledby': 'res-h' },
        h('h2', { id: 'res-h' }, t('resolve.question')),
        h('p', {}, t('resolve.text')),
        h('div', { class: 'actions' },
          h('button', { type: 'button', class: 'primary', 'data-move': 'closed', onclick: () => move('closed') }, t('resolve.confirm')),
          h('button', { type: 'button', 'data-move': 'in_progress', onclick: () => move('in_progress') }, t('resolve.reopen')))));
    }
    if (rating) {
      ratingBox.append(h('section', { class: 'panel' }, h('h2', {}, t('rating.yours')), ratingView(rating)));
    } else if (['resolved', 'closed'].includes(tk.status)) {
      // One form for the life of the view: a live refresh keeps what the
      // requester has already picked and typed.
      ratingForm = ratingForm || ratingFormNew();
      ratingBox.append(ratingForm);
    }
  }

  // The problems in known_error that concern this open incident: their
  // workaround, first thing on the page (docs/problems.md).
  function drawKnownErrors() {
    clear(known);
    const list = tk.known_errors || [];
    if (!list.length) return;
    known.append(h('section', { class: 'panel callout', 'data-testid': 'known-errors', 'aria-labelledby': 'ke-h' },
      h('h2', { id: 'ke-h' }, t('ke.title')),
      list.map((x) => h('div', { 'data-problem': x.key },
        h('h3', {}, staff ? h('a', { href: `/problems/${encodeURIComponent(x.key)}`, class: 'key' }, x.key) : h('span', { class: 'key' }, x.key), ' ', x.title),
        h('div', { class: 'pre' }, x.workaround)))));
  }

  // The ticket's e-mail, oldest first: who wrote, the subject, what it did,
  // and the comment it became when the comment is one this reader may see.
  function drawMail(mail, comments) {
    clear(mailBox);
    if (!mail || !mail.items || !mail.items.length) return;
    const byId = new Map((comments || []).map((c) => [c.id, c]));
    mailBox.append(h('section', { class: 'panel', 'data-testid': 'mail', 'aria-labelledby': 'mail-h' },
      h('h2', { id: 'mail-h' }, t('mail.title')),
      h('ol', { class: 'timeline' }, mail.items.map((m) => {
        const c = m.comment ? byId.get(m.comment) : null;
        return h('li', { class: 'tl-comment', 'data-mail': String(m.id) },
          h('p', { class: 'tl-meta' }, t('mail.from', { from: m.sender ? `${m.sender} <${m.from}>` : m.from }), ' · ',
            fmtTime(m.received_at), ' · ', t(`mail.outcome.${m.outcome}`)),
          h('p', {}, h('strong', {}, m.subject)),
          c ? h('div', { class: 'tl-body pre' }, c.body) : null);
      }))));
  }

  // The ticket's files, oldest first, each a download (the server sends it
  // as an attachment); while the ticket is open, a form to attach one more.
  const fileInput = h('input', { type: 'file', id: 'attach-file', name: 'file' });
  const filePublic = h('input', { type: 'checkbox', id: 'attach-public', name: 'public' });
  const fileForm = h('form', { class: 'attach-form', id: 'attach-form' },
    h('label', { for: 'attach-file' }, t('files.choose')), fileInput,
    staff ? h('span', { class: 'choice' }, filePublic, h('label', { for: 'attach-public' }, t('files.public'))) : null,
    h('button', { type: 'submit', 'data-action': 'attach' }, t('files.attach')));
  fileForm.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const f = fileInput.files && fileInput.files[0];
    if (!f) { fileInput.focus(); return; }
    act(async () => {
      const q = qs({ filename: f.name, public: staff ? String(filePublic.checked) : undefined });
      await upload(`/api/v1/tickets/${encodeURIComponent(tk.key)}/attachments${q}`, f);
      fileInput.value = '';
      toast(t('files.attached', { name: f.name }), 'ok');
    });
  });

  function drawFiles(files, open) {
    clear(filesBox);
    const items = (files && files.items) || [];
    const kib = (n) => (n < 1024 ? `${n} B` : `${(n / 1024).toFixed(n < 10240 ? 1 : 0)} KiB`);
    filesBox.append(h('section', { class: 'panel', 'data-testid': 'files', 'aria-labelledby': 'files-h' },
      h('h2', { id: 'files-h' }, t('files.title')),
      items.length ? h('ul', { class: 'links' }, items.map((a) => h('li', { 'data-attachment': String(a.id) },
        h('a', { href: `/api/v1/attachments/${a.id}`, download: a.filename }, a.filename), ' ',
        h('span', { class: 'muted' }, `${kib(a.size)} · ${a.created_by || a.source} · ${fmtTime(a.created_at)}`),
        staff && !a.public ? h('span', { class: 'tag tag-internal' }, t('timeline.internal')) : null)))
        : h('p', { class: 'muted' }, t('files.none')),
      open ? fileForm : null));
  }

  // Links to other tickets, each as seen from this one; staff add one.
  const linkKind = h('select', { id: 'link-kind' },
    ['related', 'parent', 'child', 'duplicate_of'].map((k) => h('option', { value: k }, t(`links.kind.${k}`))));
  const linkOther = h('input', { id: 'link-other', name: 'other', placeholder: 'INC-1', size: '10', required: true });
  const linkForm = h('form', { class: 'field inline', id: 'link-form' },
    h('label', { for: 'link-kind' }, t('links.add')), linkKind, linkOther,
    h('button', { type: 'submit', 'data-action': 'link' }, t('links.link')));
  linkForm.addEventListener('submit', (ev) => {
    ev.preventDefault();
    if (!linkOther.value.trim()) { linkOther.focus(); return; }
    act(async () => {
      await post(`/api/v1/tickets/${encodeURIComponent(tk.key)}/links`, { kind: linkKind.value, ticket: linkOther.value.trim() });
      linkOther.value = '';
    });
  });

  function drawLinks(links) {
    clear(linksBox);
    const items = (links && links.items) || [];
    if (!items.length && !staff) return;
    linksBox.append(h('section', { class: 'panel', 'data-testid': 'ticket-links', 'aria-labelledby': 'links-h' },
      h('h2', { id: 'links-h' }, t('links.title')),
      items.length ? h('ul', { class: 'links' }, items.map((l) => h('li', { 'data-link': String(l.id) },
        `${t(`links.kind.${l.kind}`)}: `, h('a', { href: `/tickets/${encodeURIComponent(l.ticket)}` }, l.ticket))))
        : h('p', { class: 'muted' }, t('links.none')),
      staff ? linkForm : null));
  }

  // Time spent (staff only): the entries oldest first with their sum, and a
  // form to record minutes on a day (default today) with a note.
  const timeMinutes = h('input', { id: 'time-minutes', name: 'minutes', type: 'number', min: '1', max: '1440', size: '5', required: true });
  const timeDate = h('input', { id: 'time-date', name: 'date', type: 'date' });
  const timeNote = h('input', { id: 'time-note', name: 'note', maxlength: '1000' });
  const timeForm = h('form', { class: 'field inline', id: 'time-form' },
    h('label', { for: 'time-minutes' }, t('time.minutes')), timeMinutes,
    h('label', { for: 'time-date' }, t('time.date')), timeDate,
    h('label', { for: 'time-note' }, t('time.note')), timeNote,
    h('button', { type: 'submit', 'data-action': 'record-time' }, t('time.record')));
  timeForm.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const minutes = Number(timeMinutes.value);
    if (!Number.isInteger(minutes) || minutes < 1) { timeMinutes.focus(); return; }
    act(async () => {
      const body = { minutes };
      if (timeDate.value) body.date = timeDate.value;
      if (timeNote.value.trim()) body.note = timeNote.value.trim();
      await post(`/api/v1/tickets/${encodeURIComponent(tk.key)}/time`, body);
      timeMinutes.value = '';
      timeNote.value = '';
      toast(t('time.recorded', { n: minutes }), 'ok');
    });
  });

  function drawTime(time) {
    clear(timeBox);
    if (!staff || !time) return;
    const items = time.items || [];
    timeBox.append(h('section', { class: 'panel', 'data-testid': 'time', 'aria-labelledby': 'time-h' },
      h('h2', { id: 'time-h' }, t('time.title')),
      items.length ? h('table', { class: 'data' },
        h('thead', {}, h('tr', {}, ['time.date', 'time.user', 'time.minutes', 'time.cost', 'time.note'].map((k) => h('th', { scope: 'col' }, t(k))))),
        h('tbody', {}, items.map((x) => h('tr', { 'data-time': String(x.id) },
          h('td', {}, x.date), h('td', {}, x.user), h('td', { class: 'num' }, String(x.minutes)),
          h('td', { class: 'num' }, `${x.cost} ${x.currency}`), h('td', {}, x.note)))),
        h('tfoot', {}, h('tr', {}, h('th', { scope: 'row', colspan: '2' }, t('time.total')),
          h('td', { class: 'num' }, String(time.minutes)), h('td', { class: 'num' }, `${time.cost} ${time.currency}`), h('td', {}))))
        : h('p', { class: 'muted' }, t('time.none')),
      timeForm));
  }

  let refreshSeq = 0;
  async function refresh() {
    const mine = ++refreshSeq; // only the latest refresh draws: no stale overwrite
    const k = encodeURIComponent(tk ? tk.key : ref);
    const [ticket, history, comments, rating, items, mail, files, links, time] = await Promise.all([
      get(`/api/v1/tickets/${k}`),
      get(`/api/v1/tickets/${k}/history`),
      get(`/api/v1/tickets/${k}/comments`),
      loadRating(tk ? tk.key : ref),
      staff ? get(`/api/v1/tickets/${k}/items`).catch(() => ({ items: [] })) : { items: [] },
      optional(`/api/v1/tickets/${k}/mail`).catch(() => undefined),
      optional(`/api/v1/tickets/${k}/attachments`).catch(() => undefined),
      optional(`/api/v1/tickets/${k}/links`).catch(() => undefined),
      staff ? get(`/api/v1/tickets/${k}/time`).catch(() => undefined) : undefined,
    ]);
    if (!isCurrent() || mine !== refreshSeq) return;
    tk = ticket;
    tk.cis = items.items || [];
    setTitle(`${tk.key} ${tk.title}`);
    drawHead();
    drawSide(rating);
    drawResolution(rating);
    drawKnownErrors();
    drawMail(mail, comments.items);
    drawFiles(files, !['closed', 'cancelled'].includes(tk.status));
    drawLinks(links);
    drawTime(time);
    clear(conv).append(h('section', { class: 'panel', 'aria-labelledby': 'tl-h' },
      h('h2', { id: 'tl-h' }, staff ? t('timeline.title') : t('timeline.conversation')),
      h('h3', { class: 'sr-only' }, t('field.description')),
      h('div', { class: 'description pre', 'data-description': '' }, tk.description || t('ticket.nodescription')),
      timeline(timelineEntries(history.items, comments.items, staff), staff)));
    const terminal = ['closed', 'cancelled'].includes(tk.status);
    commentForm.hidden = terminal;
    for (const b of article.querySelectorAll('button')) b.disabled = false;
  }

  if (staff) {
    const users = await get('/api/v1/users').catch(() => ({ items: [] }));
    staffUsers = users.items.filter((u) => u.role !== 'requester' && u.active !== false);
  }
  await refresh();
  main.append(article);
  const later = debounce(() => { refresh().catch(() => {}); }, 200);
  return onTicketChange((ev) => { if (ev.reset || ev.key === tk.key) later(); });
}

