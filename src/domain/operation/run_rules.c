/*
 * run_rules.c — the step state rules of an execution, as pure functions of
 * what was recorded (struct op_run_view): which step may be recorded, who
 * may confirm which, when a run is complete, when it may be abandoned.
 *
 * A run is "running" until its last step is recorded and every step that
 * needs confirmation has it ("completed"), or until it is abandoned
 * ("abandoned"). Steps go in order: step k+1 only after step k, and after
 * its confirmation when it needs one. A confirmation comes from another
 * operator than the one who recorded the step (the four-eyes rule).
 */
#include "domain/operation/operation.h"

#include <string.h>

static int over(const struct op_run_view *v, struct err *e)
{
	if (strcmp(v->status, "running"))
		return err_set(e, ERR_TRANSITION, "status", "the run is %s: nothing more is recorded",
			       v->status);
	return 0;
}

static int in_range(const struct op_run_view *v, int64_t step, struct err *e)
{
	if (step < 1 || (size_t)step > v->nsteps)
		return err_set(e, ERR_INVALID, "step", "step %lld is not one of the procedure's 1-%zu",
			       (long long)step, v->nsteps);
	return 0;
}

/* The recorded step number k (1-based), or NULL. */
static const struct op_step *recorded(const struct op_run_view *v, int64_t k)
{
	for (size_t i = 0; i < v->nrec; i++)
		if (v->rec[i].step == k)
			return &v->rec[i];
	return NULL;
}

static int awaits(const struct op_run_view *v, const struct op_step *s)
{
	return v->confirm[s->step - 1] && !s->confirmed_at;
}

int op_rule_record(const struct op_run_view *v, int64_t step, struct err *e)
{
	int rc;

	if ((rc = over(v, e)) || (rc = in_range(v, step, e)))
		return rc;
	if (recorded(v, step))
		return err_set(e, ERR_TRANSITION, "step", "step %lld is recorded already",
			       (long long)step);
	if ((size_t)step != v->nrec + 1)
		return err_set(e, ERR_TRANSITION, "step",
			       "steps are recorded in order: step %zu comes next, not %lld",
			       v->nrec + 1, (long long)step);
	if (v->nrec && awaits(v, &v->rec[v->nrec - 1]))
		return err_set(e, ERR_TRANSITION, "step",
			       "step %lld awaits a second operator's confirmation",
			       (long long)v->rec[v->nrec - 1].step);
	return 0;
}

int op_rule_confirm(const struct op_run_view *v, int64_t step, const char *who, struct err *e)
{
	const struct op_step *s;
	int rc;

	if ((rc = over(v, e)) || (rc = in_range(v, step, e)))
		return rc;
	if (!(s = recorded(v, step)))
		return err_set(e, ERR_TRANSITION, "step", "step %lld is not recorded yet",
			       (long long)step);
	if (!v->confirm[step - 1])
		return err_set(e, ERR_TRANSITION, "step", "step %lld needs no confirmation",
			       (long long)step);
	if (s->confirmed_at)
		return err_set(e, ERR_TRANSITION, "step", "step %lld is confirmed already by '%s'",
			       (long long)step, s->confirmed_by);
	if (!strcmp(s->done_by, who))
		return err_set(e, ERR_CONFLICT, "operator",
			       "'%s' recorded step %lld: a second operator confirms it", who,
			       (long long)step);
	return 0;
}

int op_rule_complete(const struct op_run_view *v)
{
	if (v->nrec != v->nsteps)
		return 0;
	for (size_t i = 0; i < v->nrec; i++)
		if (awaits(v, &v->rec[i]))
			return 0;
	return 1;
}

int op_rule_abandon(const char *status, struct err *e)
{
	if (strcmp(status, "running"))
		return err_set(e, ERR_TRANSITION, "status", "the run is %s: it cannot be abandoned",
			       status);
	return 0;
}

int64_t op_rule_next(const struct op_run_view *v)
{
	if (strcmp(v->status, "running") || v->nrec >= v->nsteps)
		return 0;
	if (v->nrec && awaits(v, &v->rec[v->nrec - 1]))
		return 0;
	return (int64_t)v->nrec + 1;
}
