// screens.js — the registry of the console's screens. One line per screen:
// its path, the module that draws it (web/js/screens/*.js, loaded on first
// use), who may open it, and the navigation label if it has one.
//
// A module adding screens (SLA admin, changes, knowledge, …) adds its lines
// here and one file per screen; the frame (app.js) does the rest: routing,
// the role check before anything is fetched, navigation, live updates.
//
// Each screen module exports render(ctx) where ctx = {main, params, query,
// user, navigate, setTitle}; it may return a cleanup function.

export const STAFF = ['agent', 'operator', 'manager', 'admin'];
export const MANAGERS = ['manager', 'admin'];
export const EVERYONE = ['requester', ...STAFF];

export const screens = [
  { path: '/signin', module: './screens/signin.js', public: true },
  // requester portal
  { path: '/portal', module: './screens/portal.js', roles: ['requester'], nav: 'nav.portal' },
  { path: '/tickets/new', module: './screens/new-ticket.js', roles: EVERYONE, nav: 'nav.new' },
  { path: '/tickets/:key', module: './screens/ticket.js', roles: EVERYONE },
  // agent workspace
  { path: '/queue', module: './screens/queue.js', roles: STAFF, nav: 'nav.queue' },
  // manager dashboard (service levels from the SLA module's reports)
  { path: '/dashboard', module: './screens/dashboard.js', roles: MANAGERS, nav: 'nav.dashboard' },
  // configuration management (the CMDB module)
  { path: '/cmdb', module: './screens/cmdb.js', roles: STAFF, nav: 'nav.cmdb' },
  { path: '/cmdb/:key', module: './screens/cmdb.js', roles: STAFF },
  // skills (the ITSS skill map)
  { path: '/skills', module: './screens/skills.js', roles: MANAGERS, nav: 'nav.skills' },
  // the catalogue: services, calendars and SLAs changed and retired
  { path: '/catalogue', module: './screens/catalogue.js', roles: MANAGERS, nav: 'nav.catalogue' },
  // accounts: the admin's users, everyone's own API tokens
  { path: '/users', module: './screens/users.js', roles: ['admin'], nav: 'nav.users' },
  { path: '/tokens', module: './screens/tokens.js', roles: EVERYONE, nav: 'nav.tokens' },
  { path: '/notifications', module: './screens/notifications.js', roles: EVERYONE, nav: 'nav.notifications' },
  // problem management, change control, operation by procedure
  { path: '/problems', module: './screens/problems.js', roles: STAFF, nav: 'nav.problems' },
  { path: '/problems/:key', module: './screens/problems.js', roles: STAFF },
  { path: '/changes', module: './screens/changes.js', roles: STAFF, nav: 'nav.changes' },
  { path: '/changes/:key', module: './screens/changes.js', roles: STAFF },
  { path: '/operation', module: './screens/operation.js', roles: STAFF, nav: 'nav.operation' },
  { path: '/operation/runs/:key', module: './screens/operation.js', roles: STAFF },
  { path: '/operation/conditions', module: './screens/conditions.js', roles: STAFF },
  { path: '/operation/conditions/:key', module: './screens/conditions.js', roles: STAFF },
  // the operational risk register (read-only: docs/risk.md)
  { path: '/risks', module: './screens/risks.js', roles: STAFF, nav: 'nav.risks' },
  { path: '/risks/:key', module: './screens/risks.js', roles: STAFF },
  // operational acceptance: read by staff, decided by managers (docs/acceptance.md)
  { path: '/acceptance', module: './screens/acceptance.js', roles: STAFF, nav: 'nav.acceptance' },
  { path: '/acceptance/:key', module: './screens/acceptance.js', roles: STAFF },
  // the knowledge base and the search (docs/knowledge.md)
  { path: '/knowledge', module: './screens/knowledge.js', roles: EVERYONE, nav: 'nav.knowledge' },
  { path: '/knowledge/:key', module: './screens/knowledge.js', roles: EVERYONE },
  // @screens: later modules add their screens above this line
];

// Where a user lands after signing in.
export function home(user) {
  if (!user) return '/signin';
  if (user.role === 'requester') return '/portal';
  if (MANAGERS.includes(user.role)) return '/dashboard';
  return '/queue';
}

// Match a path against the registry: {screen, params} or null.
export function match(path) {
  const parts = path.replace(/\/+$/, '').split('/').slice(1);
  for (const screen of screens) {
    const pat = screen.path.split('/').slice(1);
    if (pat.length !== parts.length) continue;
    const params = {};
    let ok = true;
    for (let i = 0; i < pat.length && ok; i++) {
      if (pat[i].startsWith(':')) params[pat[i].slice(1)] = decodeURIComponent(parts[i]);
      else ok = pat[i] === parts[i];
    }
    if (ok) return { screen, params };
  }
  return null;
}
