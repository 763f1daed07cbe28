-- 007_check_templates.sql — a check names a command template from the
-- configuration ([commands]) and gives its arguments, instead of an argument
-- vector of its own (docs/events.md, "Command templates").
--
-- template: the template's name; NULL for a check stored before this
-- migration, whose raw vector stays in `command` (it runs only while its
-- program lies inside a plugin directory, else it is disabled at its next
-- run). A check with a template keeps '[]' in `command`.
-- args: the template's arguments, a JSON array of strings.

ALTER TABLE checks ADD COLUMN template TEXT;
ALTER TABLE checks ADD COLUMN args TEXT NOT NULL DEFAULT '[]';
