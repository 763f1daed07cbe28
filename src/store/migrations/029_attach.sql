-- 029_attach.sql — files on tickets and comments, and links between
-- tickets (docs/attachments.md).
--
-- A file's bytes are stored once per content, keyed by their SHA-256, as a
-- BLOB in the store itself: every server of a PostgreSQL store sees them,
-- a backup or `itsm migrate` carries them, and they commit with their
-- audit record. An attachment names its bytes by that digest. Times are
-- integer seconds since the Unix epoch, UTC.

CREATE TABLE attachment_blobs (
	sha256     TEXT PRIMARY KEY,        -- lowercase hex of the bytes' SHA-256
	size       INTEGER NOT NULL,
	data       BLOB NOT NULL,
	created_at INTEGER NOT NULL
);

CREATE TABLE attachments (
	id           INTEGER PRIMARY KEY,
	ticket_id    INTEGER NOT NULL REFERENCES tickets(id),
	comment_id   INTEGER REFERENCES comments(id),
	sha256       TEXT NOT NULL REFERENCES attachment_blobs(sha256),
	filename     TEXT NOT NULL,
	content_type TEXT NOT NULL,          -- sniffed from the bytes when stored
	size         INTEGER NOT NULL,
	public       INTEGER NOT NULL,       -- 1: the requester sees it
	source       TEXT NOT NULL,          -- upload, mail, merge
	created_by   INTEGER REFERENCES users(id),
	created_at   INTEGER NOT NULL
);
CREATE INDEX attachments_ticket ON attachments(ticket_id, id);
CREATE INDEX attachments_sha256 ON attachments(sha256);

-- An attachment is a record of what was handed in: never changed, never
-- deleted (audit verify holds each, bytes included, against the chain).
CREATE TRIGGER attachments_frozen BEFORE UPDATE ON attachments
BEGIN
	SELECT RAISE(ABORT, 'attachments are never changed');
END;
CREATE TRIGGER attachments_kept BEFORE DELETE ON attachments
BEGIN
	SELECT RAISE(ABORT, 'attachments are never deleted');
END;
CREATE TRIGGER attachment_blobs_frozen BEFORE UPDATE ON attachment_blobs
BEGIN
	SELECT RAISE(ABORT, 'stored files are never changed');
END;
CREATE TRIGGER attachment_blobs_kept BEFORE DELETE ON attachment_blobs
BEGIN
	SELECT RAISE(ABORT, 'stored files are never deleted');
END;

-- Links between tickets. kind: 'parent' (other_id is ticket_id's parent;
-- a ticket has one parent at most), 'duplicate_of' (ticket_id duplicates
-- other_id), 'related' (stored once, the lower id first).
CREATE TABLE ticket_links (
	id         INTEGER PRIMARY KEY,
	ticket_id  INTEGER NOT NULL REFERENCES tickets(id),
	other_id   INTEGER NOT NULL REFERENCES tickets(id),
	kind       TEXT NOT NULL,
	created_by INTEGER REFERENCES users(id),
	created_at INTEGER NOT NULL,
	UNIQUE (ticket_id, other_id, kind),
	CHECK (ticket_id <> other_id)
);
CREATE INDEX ticket_links_other ON ticket_links(other_id, id);
CREATE UNIQUE INDEX ticket_links_one_parent ON ticket_links(ticket_id) WHERE kind = 'parent';
CREATE UNIQUE INDEX ticket_links_one_original ON ticket_links(ticket_id)
	WHERE kind = 'duplicate_of';
