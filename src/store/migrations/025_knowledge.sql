-- 022_knowledge.sql — the knowledge base: articles (KB-n) with every
-- version kept, the services, items and problems they concern; and the
-- full-text index over tickets, comments, problems and articles.
--
-- The index is the one part written per engine (db.h, db_migration_for):
-- SQLite keeps an FTS5 table with the trigram tokenizer that stores its own
-- copy of the text, filled by triggers inside the transaction of the row's
-- own write (a rolled-back write takes its index rows with it); PostgreSQL
-- keeps pg_trgm GIN indexes on the records' own text. Both are filled here
-- from the rows a store already holds, in this one migration.

CREATE TABLE articles (
	id           INTEGER PRIMARY KEY,
	key          TEXT NOT NULL UNIQUE,
	title        TEXT NOT NULL,
	body         TEXT NOT NULL DEFAULT '',
	visibility   TEXT NOT NULL,
	status       TEXT NOT NULL,
	created_by   TEXT NOT NULL,
	updated_by   TEXT NOT NULL,
	created_at   INTEGER NOT NULL,
	updated_at   INTEGER NOT NULL,
	published_at INTEGER,
	version      INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX articles_status ON articles(status, id);

-- Every version of an article as it stood, the newest included: what an
-- edit or a move left (links: {"services", "items", "problems"} as JSON).
CREATE TABLE article_versions (
	article_id INTEGER NOT NULL REFERENCES articles(id),
	version    INTEGER NOT NULL,
	title      TEXT NOT NULL,
	body       TEXT NOT NULL,
	visibility TEXT NOT NULL,
	status     TEXT NOT NULL,
	links      TEXT NOT NULL,
	edited_by  TEXT NOT NULL,
	edited_at  INTEGER NOT NULL,
	PRIMARY KEY(article_id, version)
) WITHOUT ROWID;

-- What an article concerns: kind service, item (a CI key) or problem (PRB-n).
CREATE TABLE article_links (
	article_id INTEGER NOT NULL REFERENCES articles(id),
	kind       TEXT NOT NULL,
	ref        TEXT NOT NULL,
	PRIMARY KEY(article_id, kind, ref)
) WITHOUT ROWID;
CREATE INDEX article_links_ref ON article_links(kind, ref);

-- for engine: sqlite
-- One document per record; its rowid is the record's id * 4 + its kind
-- (0 ticket, 1 comment, 2 problem, 3 article), so a trigger reaches the
-- row of a record without a scan.
CREATE VIRTUAL TABLE search_fts USING fts5(title, body, tokenize = 'trigram');

CREATE TRIGGER search_ticket_add AFTER INSERT ON tickets BEGIN
	INSERT INTO search_fts(rowid, title, body) VALUES(new.id * 4, new.title, new.description);
END;
CREATE TRIGGER search_ticket_edit AFTER UPDATE OF title, description ON tickets
WHEN old.title IS NOT new.title OR old.description IS NOT new.description BEGIN
	DELETE FROM search_fts WHERE rowid = old.id * 4;
	INSERT INTO search_fts(rowid, title, body) VALUES(new.id * 4, new.title, new.description);
END;
CREATE TRIGGER search_ticket_drop AFTER DELETE ON tickets BEGIN
	DELETE FROM search_fts WHERE rowid = old.id * 4;
END;

CREATE TRIGGER search_comment_add AFTER INSERT ON comments BEGIN
	INSERT INTO search_fts(rowid, title, body) VALUES(new.id * 4 + 1, '', new.body);
END;
CREATE TRIGGER search_comment_edit AFTER UPDATE OF body ON comments
WHEN old.body IS NOT new.body BEGIN
	DELETE FROM search_fts WHERE rowid = old.id * 4 + 1;
	INSERT INTO search_fts(rowid, title, body) VALUES(new.id * 4 + 1, '', new.body);
END;
CREATE TRIGGER search_comment_drop AFTER DELETE ON comments BEGIN
	DELETE FROM search_fts WHERE rowid = old.id * 4 + 1;
END;

CREATE TRIGGER search_problem_add AFTER INSERT ON problems BEGIN
	INSERT INTO search_fts(rowid, title, body) VALUES(new.id * 4 + 2, new.title,
		new.description || ' ' || new.root_cause || ' ' || new.workaround);
END;
CREATE TRIGGER search_problem_edit AFTER UPDATE OF title, description, root_cause, workaround
ON problems WHEN old.title IS NOT new.title OR old.description IS NOT new.description
OR old.root_cause IS NOT new.root_cause OR old.workaround IS NOT new.workaround BEGIN
	DELETE FROM search_fts WHERE rowid = old.id * 4 + 2;
	INSERT INTO search_fts(rowid, title, body) VALUES(new.id * 4 + 2, new.title,
		new.description || ' ' || new.root_cause || ' ' || new.workaround);
END;
CREATE TRIGGER search_problem_drop AFTER DELETE ON problems BEGIN
	DELETE FROM search_fts WHERE rowid = old.id * 4 + 2;
END;

CREATE TRIGGER search_article_add AFTER INSERT ON articles BEGIN
	INSERT INTO search_fts(rowid, title, body) VALUES(new.id * 4 + 3, new.title, new.body);
END;
CREATE TRIGGER search_article_edit AFTER UPDATE OF title, body ON articles
WHEN old.title IS NOT new.title OR old.body IS NOT new.body BEGIN
	DELETE FROM search_fts WHERE rowid = old.id * 4 + 3;
	INSERT INTO search_fts(rowid, title, body) VALUES(new.id * 4 + 3, new.title, new.body);
END;
CREATE TRIGGER search_article_drop AFTER DELETE ON articles BEGIN
	DELETE FROM search_fts WHERE rowid = old.id * 4 + 3;
END;

-- The rows already stored, in one go.
INSERT INTO search_fts(rowid, title, body) SELECT id * 4, title, description FROM tickets;
INSERT INTO search_fts(rowid, title, body) SELECT id * 4 + 1, '', body FROM comments;
INSERT INTO search_fts(rowid, title, body) SELECT id * 4 + 2, title,
	description || ' ' || root_cause || ' ' || workaround FROM problems;

-- for engine: postgresql
-- pg_trgm ships with PostgreSQL (Debian's postgresql-15) and is a trusted
-- extension: the store's owner may create it. Each index covers exactly the
-- expression the search statement filters on (sql_search.c).
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX tickets_trgm ON tickets USING gin ((title || ' ' || description) gin_trgm_ops);
CREATE INDEX comments_trgm ON comments USING gin (body gin_trgm_ops);
CREATE INDEX problems_trgm ON problems USING gin
	((title || ' ' || description || ' ' || root_cause || ' ' || workaround) gin_trgm_ops);
CREATE INDEX articles_trgm ON articles USING gin ((title || ' ' || body) gin_trgm_ops);
-- for engine: all
