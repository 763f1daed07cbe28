-- 032_desk2.sql — the address each notification was sent to
-- (docs/notify.md, docs/mail.md "Bounces").
--
-- A bounce names the recipient that failed; it is taken only when that is
-- the address the reported notification went to. notify_messages recorded
-- the user, whose address may have changed since: the address as sent is
-- kept with the message. Rows written before hold '' and are compared
-- with their user's address now, the best that is known of them.

ALTER TABLE notify_messages ADD COLUMN recipient TEXT NOT NULL DEFAULT '';
