// new-ticket.js — report an incident, ask a question (inquiry) or apply for
// a service (request). Impact and urgency are asked in plain words; the
// server derives the priority. Services come from the catalogue when the
// server has one. Staff filing for a caller (phone, walk-in, e-mail) pick
// the customer, the requester (searched among that customer's requesters
// by name, user name or e-mail, from the users list staff may read) and
// the channel the ticket came in by. A caller the search does not find is
// added as a new contact ("new caller": name, e-mail, phone) in the same
// request as the ticket: they become a requester of the chosen customer.

import { h } from '../dom.js';
import { get, post, optional } from '../api.js';
import { t } from '../i18n.js';

function choice(name, value, label, checked) {
  const id = `${name}-${value}`;
  return h('div', { class: 'choice' },
    h('input', { type: 'radio', name, id, value, checked }),
    h('label', { for: id }, label));
}

function select(id, options, value) {
  return h('select', { id, name: id }, options.map(([v, l]) => h('option', { value: v, selected: String(v) === String(value) }, l)));
}

const CHANNELS = () => [['phone', t('channel.phone')], ['walk_in', t('channel.walk_in')],
  ['email', t('channel.email')], ['web', t('channel.web')]];
const MATCHES_MAX = 8;

// The requesters of customer (all customers when ''), active, whose name,
// user name or e-mail holds every word of q (case ignored).
export function matchRequesters(users, customer, q) {
  const words = q.toLowerCase().split(/\s+/).filter(Boolean);
  if (!words.length) return [];
  return users.filter((u) => u.role === 'requester' && u.active !== false && (!customer || u.customer === customer)
    && words.every((w) => `${u.name || ''} ${u.username} ${u.email || ''}`.toLowerCase().includes(w)))
    .slice(0, MATCHES_MAX);
}

// The new caller's fields, shown when the search finds nobody: name,
// e-mail and phone, filled from what was searched. onCancel() goes back to
// the search.
function newCallerFields(onCancel) {
  const name = h('input', { id: 'caller-name', name: 'caller-name', autocomplete: 'off', maxlength: '199' });
  const email = h('input', { id: 'caller-email', name: 'caller-email', type: 'email', autocomplete: 'off', maxlength: '199' });
  const phone = h('input', { id: 'caller-phone', name: 'caller-phone', type: 'tel', autocomplete: 'off', maxlength: '32' });
  const cancel = h('button', { type: 'button', class: 'small', id: 'caller-cancel' }, t('new.caller.cancel'));
  cancel.addEventListener('click', onCancel);
  const el = h('fieldset', { id: 'new-caller', class: 'new-caller', hidden: true },
    h('legend', {}, t('new.caller.legend')),
    h('div', { class: 'field' }, h('label', { for: 'caller-name' }, t('new.caller.name')), name),
    h('div', { class: 'field' }, h('label', { for: 'caller-email' }, t('new.caller.email')), email),
    h('div', { class: 'field' }, h('label', { for: 'caller-phone' }, t('new.caller.phone')), phone),
    h('small', { class: 'hint' }, t('new.caller.hint')), cancel);
  const inputs = { name, email, phone };
  return {
    el,
    open: (typed) => {
      const q = typed.trim();
      name.value = q.includes('@') ? '' : q;
      email.value = q.includes('@') ? q : '';
      phone.value = '';
      el.hidden = false;
      (q.includes('@') ? name : email).focus();
    },
    close: () => { el.hidden = true; },
    // the API's requester object, or null while the fields are hidden
    value: () => {
      if (el.hidden) return null;
      const v = { name: name.value.trim(), email: email.value.trim() };
      if (phone.value.trim()) v.phone = phone.value.trim();
      return v;
    },
    // the input a refusal names ("requester.email"), if one of ours
    input: (field) => (field && field.startsWith('requester.') ? inputs[field.slice(10)] : null),
  };
}

// The requester picker: a search field, its matches as buttons, the
// chosen one shown with a button to change it; when nobody matches, a new
// caller's fields. onPick(user|null).
function requesterPicker(users, customerOf, onPick) {
  let chosen = null;
  const search = h('input', {
    id: 'requester-search', type: 'search', autocomplete: 'off', placeholder: t('new.requester.placeholder'),
    'aria-describedby': 'requester-hint', 'aria-controls': 'requester-results',
  });
  const results = h('ul', { id: 'requester-results', class: 'picker', 'aria-live': 'polite' });
  const shown = h('p', { id: 'requester-chosen', class: 'chosen', hidden: true });
  const hint = h('small', { id: 'requester-hint', class: 'hint' }, t('new.requester.hint'));
  const caller = newCallerFields(() => { caller.close(); search.hidden = false; hint.hidden = false; search.focus(); });
  const addCaller = () => {
    const typed = search.value;
    results.replaceChildren();
    search.value = '';
    search.hidden = true;
    hint.hidden = true;
    caller.open(typed);
  };
  const pick = (u) => {
    chosen = u;
    caller.close();
    hint.hidden = false;
    results.replaceChildren();
    search.value = '';
    search.hidden = !!u;
    shown.hidden = !u;
    if (u) {
      const change = h('button', { type: 'button', class: 'small', id: 'requester-change' }, t('new.requester.change'));
      change.addEventListener('click', () => { pick(null); search.focus(); });
      shown.replaceChildren(t('new.requester.chosen', { name: u.name || u.username }),
        u.email ? ` <${u.email}> ` : ' ', change);
    }
    onPick(u);
  };
  const refresh = () => {
    const found = matchRequesters(users, customerOf(), search.value);
    const add = () => {
      const b = h('button', { type: 'button', id: 'requester-new' }, t('new.caller.add'));
      b.addEventListener('click', addCaller);
      return h('li', {}, b);
    };
    results.replaceChildren(...(search.value.trim() && !found.length
      ? [h('li', { class: 'muted' }, t('new.requester.none')), add()]
      : found.map((u) => {
        const b = h('button', { type: 'button', 'data-user': u.username },
          `${u.name || u.username} (${u.username}${u.email ? `, ${u.email}` : ''})`);
        b.addEventListener('click', () => pick(u));
        return h('li', {}, b);
      })));
  };
  search.addEventListener('input', refresh);
  return {
    el: h('div', { class: 'field' }, h('label', { for: 'requester-search' }, t('new.field.requester')),
      search, shown, results, hint, caller.el),
    value: () => chosen,
    contact: () => caller.value(),
    contactInput: (field) => caller.input(field),
    // the customer changed: a requester of another customer is dropped
    customerChanged: () => { if (chosen && customerOf() && chosen.customer !== customerOf()) pick(null); else refresh(); },
  };
}

export async function render({ main, query, user, navigate, setTitle }) {
  setTitle(t('new.title'));
  const staff = user.role !== 'requester';
  const kind0 = ['incident', 'request', 'inquiry'].includes(query.get('kind')) ? query.get('kind') : 'incident';
  const [services, customers, users] = await Promise.all([
    optional('/api/v1/services').catch(() => undefined),
    staff ? get('/api/v1/customers').catch(() => ({ items: [] })) : Promise.resolve(null),
    staff ? get('/api/v1/users').catch(() => ({ items: [] })) : Promise.resolve(null),
  ]);
  const err = h('p', { class: 'form-error', role: 'alert' });
  const title = h('input', { id: 'title', name: 'title', required: true, maxlength: '200', 'aria-describedby': 'title-hint' });
  const desc = h('textarea', { id: 'description', name: 'description', rows: '6' });
  const impact = select('impact', [[3, t('impact.3')], [2, t('impact.2')], [1, t('impact.1')]], 3);
  const urgency = select('urgency', [[3, t('urgency.3')], [2, t('urgency.2')], [1, t('urgency.1')]], 3);
  const svcItems = services && Array.isArray(services.items) ? services.items : null;
  // The catalogue when the server has one and lets this user read it; a
  // service key typed in otherwise (the SLA that applies follows from it).
  const service = svcItems
    ? select('service', [['', t('new.service.none')], ...svcItems.map((x) => [x.key, x.name || x.key])], '')
    : h('input', { id: 'service', name: 'service', placeholder: t('new.service.placeholder'), pattern: '[A-Za-z0-9._\\-]*' });
  const customer = staff
    ? select('customer', [['', t('new.customer.none')], ...((customers && customers.items) || []).map((c) => [c.key, c.name])], '')
    : null;
  const requester = staff
    ? requesterPicker((users && users.items) || [], () => customer.value, (u) => {
      if (u && u.customer && customer.value !== u.customer) customer.value = u.customer;
    })
    : null;
  if (customer) customer.addEventListener('change', () => requester.customerChanged());
  const channel = staff ? select('channel', CHANNELS(), 'phone') : null;
  const submit = h('button', { type: 'submit', class: 'primary' }, t('new.submit'));
  const form = h('form', { class: 'panel form', novalidate: true },
    h('h1', {}, t('new.title')),
    h('fieldset', { class: 'kinds' }, h('legend', {}, t('new.kind')),
      choice('kind', 'incident', t('new.kind.incident'), kind0 === 'incident'),
      choice('kind', 'request', t('new.kind.request'), kind0 === 'request'),
      choice('kind', 'inquiry', t('new.kind.inquiry'), kind0 === 'inquiry')),
    h('div', { class: 'field' }, h('label', { for: 'title' }, t('new.field.title')), title,
      h('small', { id: 'title-hint', class: 'hint' }, t('new.field.title.hint'))),
    h('div', { class: 'field' }, h('label', { for: 'description' }, t('new.field.description')), desc),
    h('div', { class: 'row' },
      h('div', { class: 'field' }, h('label', { for: 'impact' }, t('new.field.impact')), impact),
      h('div', { class: 'field' }, h('label', { for: 'urgency' }, t('new.field.urgency')), urgency)),
    h('div', { class: 'row' },
      service ? h('div', { class: 'field' }, h('label', { for: 'service' }, t('new.field.service')), service) : null,
      customer ? h('div', { class: 'field' }, h('label', { for: 'customer' }, t('new.field.customer')), customer) : null),
    staff ? h('div', { class: 'row' }, requester.el,
      h('div', { class: 'field' }, h('label', { for: 'channel' }, t('new.field.channel')), channel)) : null,
    err,
    h('div', { class: 'actions' }, submit, h('a', { href: staff ? '/queue' : '/portal', class: 'button' }, t('common.cancel'))));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    err.textContent = '';
    if (!title.value.trim()) { err.textContent = t('new.err.title'); title.focus(); return; }
    const body = {
      kind: form.querySelector('input[name=kind]:checked').value,
      title: title.value.trim(),
      description: desc.value,
      impact: Number(impact.value),
      urgency: Number(urgency.value),
      channel: staff ? channel.value : 'web',
    };
    if (requester && requester.value()) body.requester = requester.value().username;
    const contact = requester && requester.contact();
    if (contact) {
      // a new caller is the chosen customer's requester: one is needed
      if (!customer.value) { err.textContent = t('new.caller.err.customer'); customer.focus(); return; }
      body.requester = contact;
    }
    if (service && service.value.trim()) body.service = service.value.trim();
    if (customer && customer.value) body.customer = customer.value;
    submit.disabled = true;
    try {
      const tk = await post('/api/v1/tickets', body);
      navigate(`/tickets/${encodeURIComponent(tk.key)}`);
    } catch (e) {
      err.textContent = e.message;
      submit.disabled = false;
      const at = requester && requester.contactInput(e.field);
      if (at) at.focus();
    }
  });
  main.append(form);
  title.focus();
}
