-- 028_groups.sql — assignment groups on tickets and the routing rules that
-- set them at creation (docs/desk.md, "Assignment groups and routing").
--
-- A contact staff add while logging a ticket for them (docs/desk.md, "For
-- a caller") may leave a phone number: users.phone ('' when none).
--
-- A ticket's group is a name as in users' `groups` ('' when none); there
-- is no table of groups. A routing rule matches a new ticket on any of its
-- non-empty criteria (all must hold) and names the group it gets; rules
-- are tried in position order (then name), the first match wins.

ALTER TABLE tickets ADD COLUMN group_name TEXT NOT NULL DEFAULT '';
CREATE INDEX tickets_group ON tickets(group_name, id);

CREATE TABLE routing_rules (
	id          INTEGER PRIMARY KEY,
	name        TEXT NOT NULL UNIQUE,
	position    INTEGER NOT NULL,
	service     TEXT NOT NULL DEFAULT '',
	kind        TEXT NOT NULL DEFAULT '',
	ci          TEXT NOT NULL DEFAULT '',
	queue       TEXT NOT NULL DEFAULT '',
	keyword     TEXT NOT NULL DEFAULT '',
	group_name  TEXT NOT NULL,
	created_at  INTEGER NOT NULL,
	updated_at  INTEGER NOT NULL,
	version     INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX routing_rules_order ON routing_rules(position, name);

ALTER TABLE users ADD COLUMN phone TEXT NOT NULL DEFAULT '';
