-- 007_audit_guard.sql — the audit log is append-only: a record, once
-- written, is never changed or deleted, whatever the caller does. (Someone
-- with the database file can drop these triggers; the hash chain and the
-- signed checkpoints kept outside the store catch what they do then.)

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
	SELECT RAISE(ABORT, 'the audit log is append-only: records are never changed');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
	SELECT RAISE(ABORT, 'the audit log is append-only: records are never deleted');
END;
