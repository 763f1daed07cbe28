-- 020_mail.sql — e-mail in: every message received (through `itsm mail
-- receive` or POST /api/v1/mail/inbound), whether it opened a ticket, became
-- a comment, or was refused or ignored, with the raw message kept as it came.
-- Times are integer seconds since the Unix epoch, UTC.

CREATE TABLE mail_messages (
	id          INTEGER PRIMARY KEY,
	message_id  TEXT NOT NULL UNIQUE,   -- without <>; "sha256:<hex>" of the raw when absent
	queue       TEXT NOT NULL DEFAULT '',
	from_addr   TEXT NOT NULL DEFAULT '',
	subject     TEXT NOT NULL DEFAULT '',
	outcome     TEXT NOT NULL,          -- created, commented, refused, ignored
	reason      TEXT NOT NULL DEFAULT '',
	ticket_id   INTEGER REFERENCES tickets(id),
	comment_id  INTEGER REFERENCES comments(id),
	user_id     INTEGER REFERENCES users(id),
	body        TEXT NOT NULL DEFAULT '', -- the text part, as UTF-8
	raw         BLOB NOT NULL,            -- the message as received
	raw_size    INTEGER NOT NULL,
	received_at INTEGER NOT NULL
);
CREATE INDEX mail_messages_ticket ON mail_messages(ticket_id, id);

-- A received message is a record of what came in: never changed, never
-- deleted (audit verify holds each against the chain as well).
CREATE TRIGGER mail_messages_frozen BEFORE UPDATE ON mail_messages
BEGIN
	SELECT RAISE(ABORT, 'received mail is never changed');
END;
CREATE TRIGGER mail_messages_kept BEFORE DELETE ON mail_messages
BEGIN
	SELECT RAISE(ABORT, 'received mail is never deleted');
END;
