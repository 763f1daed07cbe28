-- 019_problems.sql — problem management: problems (PRB-n) with their root
-- cause and workaround, the items they concern, the incidents linked to
-- them (an incident to at most one problem), and the incidents an agent
-- dismissed from a recurring-incident proposal (never proposed again on
-- the same basis).

CREATE TABLE problems (
	id          INTEGER PRIMARY KEY,
	key         TEXT NOT NULL UNIQUE,
	title       TEXT NOT NULL,
	description TEXT NOT NULL DEFAULT '',
	service     TEXT NOT NULL DEFAULT '',
	root_cause  TEXT NOT NULL DEFAULT '',
	workaround  TEXT NOT NULL DEFAULT '',
	impact      INTEGER NOT NULL,
	urgency     INTEGER NOT NULL,
	priority    INTEGER NOT NULL,
	status      TEXT NOT NULL,
	created_by  TEXT NOT NULL,
	created_at  INTEGER NOT NULL,
	updated_at  INTEGER NOT NULL,
	resolved_at INTEGER,
	closed_at   INTEGER,
	version     INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX problems_status ON problems(status, id);

-- The configuration items a problem concerns.
CREATE TABLE problem_items (
	problem_id INTEGER NOT NULL REFERENCES problems(id),
	ci_id      INTEGER NOT NULL REFERENCES cis(id),
	PRIMARY KEY(problem_id, ci_id)
) WITHOUT ROWID;
CREATE INDEX problem_items_ci ON problem_items(ci_id);

-- Many incidents to one problem: a ticket is linked to one problem at most.
CREATE TABLE problem_incidents (
	problem_id INTEGER NOT NULL REFERENCES problems(id),
	ticket_id  INTEGER NOT NULL UNIQUE REFERENCES tickets(id),
	linked_by  TEXT NOT NULL,
	linked_at  INTEGER NOT NULL,
	PRIMARY KEY(problem_id, ticket_id)
) WITHOUT ROWID;

-- An incident dismissed from a proposal on a basis ("item:KEY",
-- "service:KEY") does not count on that basis again.
CREATE TABLE problem_dismissals (
	basis        TEXT NOT NULL,
	ticket_id    INTEGER NOT NULL REFERENCES tickets(id),
	dismissed_by TEXT NOT NULL,
	dismissed_at INTEGER NOT NULL,
	PRIMARY KEY(basis, ticket_id)
) WITHOUT ROWID;
CREATE INDEX problem_dismissals_ticket ON problem_dismissals(ticket_id);
