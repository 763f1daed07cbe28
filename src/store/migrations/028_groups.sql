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

-- The OLA clock of a ticket: the OLA of the group holding it and the
-- ticket's service (docs/sla.md, "OLAs"), kept as an SLA's clock is. One
-- per ticket: a change of group starts the new group's OLA (or none).
CREATE TABLE ticket_ola (
	ticket_id     INTEGER PRIMARY KEY REFERENCES tickets(id),
	sla_id        INTEGER NOT NULL REFERENCES slas(id),
	priority      INTEGER NOT NULL,
	resp_target   INTEGER NOT NULL,
	res_target    INTEGER NOT NULL,
	warn_permille INTEGER NOT NULL,
	started_at    INTEGER NOT NULL,
	resp_due      INTEGER NOT NULL,
	resp_warn     INTEGER NOT NULL,
	resp_stopped  INTEGER NOT NULL DEFAULT 0,
	resp_met      INTEGER,
	res_spent     INTEGER NOT NULL DEFAULT 0,
	run_from      INTEGER NOT NULL DEFAULT 0,
	res_due       INTEGER NOT NULL,
	res_warn      INTEGER NOT NULL,
	res_stopped   INTEGER NOT NULL DEFAULT 0,
	res_met       INTEGER,
	paused        INTEGER NOT NULL DEFAULT 0,
	fired         INTEGER NOT NULL DEFAULT 0,
	grp           TEXT NOT NULL DEFAULT '',
	next_at       INTEGER,
	sla_version   INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX ticket_ola_next ON ticket_ola(next_at) WHERE next_at IS NOT NULL;
CREATE INDEX ticket_ola_sla ON ticket_ola(sla_id, res_due);
