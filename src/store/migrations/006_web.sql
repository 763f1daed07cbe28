-- 006_web.sql — satisfaction ratings, one per ticket, given by a requester
-- of the ticket's customer once it is resolved. Times are integer seconds
-- since the Unix epoch, UTC.

CREATE TABLE ticket_ratings (
	id          INTEGER PRIMARY KEY,
	ticket_id   INTEGER NOT NULL UNIQUE REFERENCES tickets(id),
	customer_id INTEGER REFERENCES customers(id),
	rater_id    INTEGER REFERENCES users(id),
	rater       TEXT NOT NULL,
	score       INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
	comment     TEXT NOT NULL DEFAULT '',
	created_at  INTEGER NOT NULL
);
CREATE INDEX ticket_ratings_created ON ticket_ratings(created_at);
CREATE INDEX ticket_ratings_customer ON ticket_ratings(customer_id, created_at);

-- A rating is the customer's word: it is never changed or taken back.
CREATE TRIGGER ticket_ratings_frozen BEFORE UPDATE ON ticket_ratings
BEGIN
	SELECT RAISE(ABORT, 'ratings are given once and never changed');
END;
CREATE TRIGGER ticket_ratings_kept BEFORE DELETE ON ticket_ratings
BEGIN
	SELECT RAISE(ABORT, 'ratings are never deleted');
END;

-- The dashboard counts open tickets by kind, priority and service.
CREATE INDEX tickets_open_cube ON tickets(status, kind, priority, service);
