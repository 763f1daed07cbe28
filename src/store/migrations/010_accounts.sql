-- 010_accounts.sql — token expiry and last use (docs/platform.md, "Tokens").
--
-- expires_at: when the token stops working (seconds since the epoch); NULL
-- for a token that never expires, as every token made before this.
-- last_used_at: the last request it authenticated, touched at most once a
-- minute; NULL until then. Not held by the audit (docs/audit.md).
ALTER TABLE tokens ADD COLUMN expires_at INTEGER;
ALTER TABLE tokens ADD COLUMN last_used_at INTEGER;
CREATE INDEX tokens_user ON tokens(user_id, id);
