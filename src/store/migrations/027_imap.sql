-- 027_imap.sql — IMAP polling: which messages of which mailbox were taken.
--
-- A mailbox (the NAME of its [imap.NAME] section) numbers its messages with
-- UIDs that hold while its UIDVALIDITY does. A row is written in the same
-- transaction as the message's own record (mail_messages), so a message is
-- taken once even when the poller dies between storing it and flagging it
-- on the server: the next poll finds the row (done = 0) and only flags it.
-- A changed UIDVALIDITY deletes the mailbox's rows (its UIDs mean nothing
-- any more); Message-IDs keep the messages themselves from being stored
-- twice. Times are integer seconds since the Unix epoch, UTC.

CREATE TABLE mail_imap_uids (
	mailbox     TEXT NOT NULL,
	uidvalidity INTEGER NOT NULL,
	uid         INTEGER NOT NULL,
	mail_id     INTEGER REFERENCES mail_messages(id), -- NULL: not a message, skipped
	done        INTEGER NOT NULL DEFAULT 0,            -- 1: flagged \Seen or moved
	taken_at    INTEGER NOT NULL,
	PRIMARY KEY(mailbox, uidvalidity, uid)
);
CREATE INDEX mail_imap_uids_undone ON mail_imap_uids(mailbox, uidvalidity, done, uid);

-- The per-sender hourly limit counts a sender's tickets opened by mail.
CREATE INDEX mail_messages_sender ON mail_messages(from_addr, received_at);
