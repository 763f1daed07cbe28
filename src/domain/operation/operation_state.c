/*
 * operation_state.c — the scan of every stored procedure ("procedure:KEY",
 * with every version and its steps), job ("job:KEY") and run ("run:KEY",
 * with every recorded step and confirmation), in the form the audit log
 * records them, for audit_verify: a published version rewritten, a step's
 * result changed or a confirmation added in the tables shows as a record
 * that differs from the chain.
 */
#include "domain/operation/operation.h"
#include "domain/platform/audit.h"
#include "store/store_operation.h"

#include <stdlib.h>

int op_state_scan(struct store *st, audit_state_fn fn, void *ctx, struct err *e)
{
	const struct store_operation_ops *op = st->ops->operation;
	struct audit_scan to = { fn, ctx };
	struct op_procedure *p = NULL;
	struct op_job *j = NULL;
	struct op_run *r = NULL;
	size_t np = 0, nj = 0, nr = 0;
	int rc;

	if ((rc = op->proc_list(st, &p, &np, e)))
		goto out;
	for (size_t i = 0; !rc && i < np; i++) {
		json_t *s = NULL;

		if (!(rc = op_procedure_state_json(st, &p[i], &s, e)))
			rc = audit_state_hand(&to, s, "procedure:%s", p[i].key);
	}
	if (rc || (rc = op->job_list(st, NULL, &j, &nj, e)))
		goto out;
	for (size_t i = 0; !rc && i < nj; i++)
		rc = audit_state_hand(&to, op_job_to_json(&j[i]), "job:%s", j[i].key);
	if (rc || (rc = op->run_list(st, NULL, 0, 0, 0, &r, &nr, e)))
		goto out;
	for (size_t i = 0; !rc && i < nr; i++) {
		json_t *s = NULL;

		if (!(rc = op_run_state_json(st, r[i].key, &s, e)))
			rc = audit_state_hand(&to, s, "run:%s", r[i].key);
	}
out:
	free(p);
	free(j);
	op_free_runs(r, nr);
	return rc;
}
