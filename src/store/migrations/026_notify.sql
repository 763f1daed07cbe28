-- 026_notify.sql — e-mail notifications: the templates an admin edited
-- (a template never edited is the built-in default and has no row), each
-- user's notification settings (language, events switched off; a user
-- without a row gets English and every event), and the notifications
-- queued, by Message-ID, so that a reply threads onto its ticket.
-- Times are integer seconds since the Unix epoch, UTC.

CREATE TABLE notify_templates (
	id         INTEGER PRIMARY KEY,
	event      TEXT NOT NULL,            -- create, assign, comment, status, resolve, sla_warning, sla_breach
	lang       TEXT NOT NULL,            -- en, ja
	subject    TEXT NOT NULL,
	body       TEXT NOT NULL,
	updated_by TEXT NOT NULL,
	updated_at INTEGER NOT NULL,
	version    INTEGER NOT NULL DEFAULT 1,
	UNIQUE(event, lang)
);

CREATE TABLE notify_prefs (
	id         INTEGER PRIMARY KEY,
	user_id    INTEGER NOT NULL UNIQUE REFERENCES users(id),
	lang       TEXT NOT NULL DEFAULT 'en',
	off_csv    TEXT NOT NULL DEFAULT '', -- the events switched off, comma-separated
	updated_at INTEGER NOT NULL,
	version    INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE notify_messages (
	id         INTEGER PRIMARY KEY,
	message_id TEXT NOT NULL UNIQUE,     -- without <>: ticket-INC-42.N@host
	ticket_id  INTEGER NOT NULL REFERENCES tickets(id),
	seq        INTEGER NOT NULL,         -- N: 1, 2, ... per ticket
	event      TEXT NOT NULL,
	user_id    INTEGER NOT NULL REFERENCES users(id),
	created_at INTEGER NOT NULL,
	UNIQUE(ticket_id, seq)
);
CREATE INDEX notify_messages_user ON notify_messages(ticket_id, user_id, seq);
