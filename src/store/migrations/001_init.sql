-- 001_init.sql — the platform and the service desk.
-- Times are integer seconds since the Unix epoch, UTC.

CREATE TABLE meta (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE counters (
	name  TEXT PRIMARY KEY,
	value INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE customers (
	id         INTEGER PRIMARY KEY,
	key        TEXT NOT NULL UNIQUE,
	name       TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	version    INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE users (
	id            INTEGER PRIMARY KEY,
	username      TEXT NOT NULL UNIQUE,
	name          TEXT NOT NULL DEFAULT '',
	role          TEXT NOT NULL,
	customer_id   INTEGER REFERENCES customers(id),
	email         TEXT NOT NULL DEFAULT '',
	groups_csv    TEXT NOT NULL DEFAULT '',
	password_hash TEXT NOT NULL DEFAULT '',
	active        INTEGER NOT NULL DEFAULT 1,
	created_at    INTEGER NOT NULL,
	updated_at    INTEGER NOT NULL,
	version       INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE tokens (
	id         INTEGER PRIMARY KEY,
	user_id    INTEGER NOT NULL REFERENCES users(id),
	name       TEXT NOT NULL,
	scope      TEXT NOT NULL DEFAULT 'all',
	hash       BLOB NOT NULL UNIQUE,
	revoked    INTEGER NOT NULL DEFAULT 0,
	created_at INTEGER NOT NULL
);

CREATE TABLE tickets (
	id           INTEGER PRIMARY KEY,
	key          TEXT NOT NULL UNIQUE,
	kind         TEXT NOT NULL,
	title        TEXT NOT NULL,
	description  TEXT NOT NULL DEFAULT '',
	impact       INTEGER NOT NULL,
	urgency      INTEGER NOT NULL,
	priority     INTEGER NOT NULL,
	status       TEXT NOT NULL,
	requester_id INTEGER REFERENCES users(id),
	assignee_id  INTEGER REFERENCES users(id),
	customer_id  INTEGER REFERENCES customers(id),
	service      TEXT NOT NULL DEFAULT '',
	channel      TEXT NOT NULL DEFAULT 'api',
	created_at   INTEGER NOT NULL,
	updated_at   INTEGER NOT NULL,
	resolved_at  INTEGER,
	closed_at    INTEGER,
	version      INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX tickets_status ON tickets(status, id);
CREATE INDEX tickets_customer ON tickets(customer_id, id);
CREATE INDEX tickets_assignee ON tickets(assignee_id, id);
CREATE INDEX tickets_resolved ON tickets(resolved_at);

CREATE TABLE comments (
	id         INTEGER PRIMARY KEY,
	ticket_id  INTEGER NOT NULL REFERENCES tickets(id),
	author_id  INTEGER REFERENCES users(id),
	author     TEXT NOT NULL,
	body       TEXT NOT NULL,
	public     INTEGER NOT NULL,
	created_at INTEGER NOT NULL
);
CREATE INDEX comments_ticket ON comments(ticket_id, id);

CREATE TABLE ticket_history (
	id        INTEGER PRIMARY KEY,
	ticket_id INTEGER NOT NULL REFERENCES tickets(id),
	at        INTEGER NOT NULL,
	actor_id  INTEGER,
	actor     TEXT NOT NULL,
	field     TEXT NOT NULL,
	old_value TEXT,
	new_value TEXT
);
CREATE INDEX ticket_history_ticket ON ticket_history(ticket_id, id);

CREATE TABLE audit_log (
	seq       INTEGER PRIMARY KEY,
	at        INTEGER NOT NULL,
	actor     TEXT NOT NULL,
	action    TEXT NOT NULL,
	entity    TEXT NOT NULL,
	change    TEXT NOT NULL,
	prev_hash BLOB NOT NULL,
	hash      BLOB NOT NULL
);
