/*
 * acceptance_evidence.c — the automatic evidence of a checklist's criteria,
 * read from the store at the moment the checklist is read (or decided).
 *
 * Each rule asks the store one question per target (an item key, the
 * service key) and keeps the first record found: the check, the procedure,
 * the run, the SLA. "check" wants every item covered (so one unmonitored
 * server keeps the criterion unmet); "procedure" and "backup_run" want one
 * target named; "sla" wants the service. A manual criterion is met by a
 * note. Nothing here writes: what was found is answered, and stored only
 * in the snapshot of a decision.
 */
#include "domain/acceptance/acceptance.h"
#include "lib/buf.h"
#include "lib/jsonx.h"
#include "store/store_acceptance.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#define DAY 86400

/* "%key%" in lower case with %, _ and \ escaped for LIKE … ESCAPE '\'. */
static void like_pattern(const char *key, char *out, size_t n)
{
	size_t j = 0;

	if (n < 3)
		return;
	out[j++] = '%';
	for (const char *p = key; *p && j + 3 < n; p++) {
		if (*p == '%' || *p == '_' || *p == '\\')
			out[j++] = '\\';
		out[j++] = (char)tolower((unsigned char)*p);
	}
	out[j++] = '%';
	out[j] = '\0';
}

static json_t *found_json(const char *source, const struct acc_found *f, const char *target)
{
	json_t *j = json_pack("{s:s, s:s, s:s}", "source", source, "ref", f->ref, "target", target);

	jx_set_time(j, "at", f->at);
	return j;
}

/* Ask one question of one target: 1 found (appended to ev), 0 not, <0 failed. */
typedef int (*ask_fn)(struct store *st, struct store_tx *tx, const char *text, int64_t since,
		      struct acc_found *f, struct err *e);

static int ask_check_item(struct store *st, struct store_tx *tx, const char *t, int64_t since,
			  struct acc_found *f, struct err *e)
{
	(void)since;
	return st->ops->acceptance->check_on_item(st, tx, t, f, e);
}

static int ask_check_service(struct store *st, struct store_tx *tx, const char *t, int64_t since,
			     struct acc_found *f, struct err *e)
{
	(void)since;
	return st->ops->acceptance->check_on_service(st, tx, t, f, e);
}

static int ask_procedure(struct store *st, struct store_tx *tx, const char *t, int64_t since,
			 struct acc_found *f, struct err *e)
{
	char pat[160];

	(void)since;
	like_pattern(t, pat, sizeof(pat));
	return st->ops->acceptance->procedure_naming(st, tx, pat, f, e);
}

static int ask_backup(struct store *st, struct store_tx *tx, const char *t, int64_t since,
		      struct acc_found *f, struct err *e)
{
	char pat[160];

	like_pattern(t, pat, sizeof(pat));
	return st->ops->acceptance->backup_run(st, tx, pat, since, f, e);
}

static int ask_sla(struct store *st, struct store_tx *tx, const char *t, int64_t since,
		   struct acc_found *f, struct err *e)
{
	(void)since;
	return st->ops->acceptance->sla_on_service(st, tx, t, f, e);
}

static int ask_one(struct store *st, struct store_tx *tx, ask_fn fn, const char *source,
		   const char *target, int64_t since, json_t *ev, struct err *e)
{
	struct acc_found f;
	int rc = fn(st, tx, target, since, &f, e);

	if (rc == ERR_NOT_FOUND)
		return 0;
	if (rc)
		return rc;
	if (json_array_append_new(ev, found_json(source, &f, target)))
		return err_set(e, ERR_INTERNAL, NULL, "out of memory");
	return 1;
}

/* The targets: the items, then the service when there is one. */
static int ask_any(struct store *st, struct store_tx *tx, ask_fn fn, const char *source,
		   const char *service, const json_t *items, int64_t since, json_t *ev,
		   struct err *e)
{
	size_t i;
	json_t *v;
	int rc, any = 0;

	json_array_foreach(items, i, v) {
		if ((rc = ask_one(st, tx, fn, source, json_string_value(v), since, ev, e)) < 0)
			return rc;
		any |= rc;
	}
	if (*service) {
		if ((rc = ask_one(st, tx, fn, source, service, since, ev, e)) < 0)
			return rc;
		any |= rc;
	}
	return any;
}

static int eval_one(struct store *st, struct store_tx *tx, const char *service,
		    const json_t *items, json_t *c, int64_t now, struct err *e)
{
	json_t *ev = json_array();
	enum acc_rule rule = ACC_RULE_MANUAL;
	char missing[256] = "";
	int met = 0, rc = 0;
	int64_t days = json_integer_value(json_object_get(c, "days"));
	size_t nitems = json_array_size(items);

	if (!ev)
		return err_set(e, ERR_INTERNAL, NULL, "out of memory");
	acc_rule_parse(json_string_value(json_object_get(c, "rule")), &rule);
	switch (rule) {
	case ACC_RULE_CHECK:
		if (nitems) {
			size_t i;
			json_t *v;

			met = 1;
			json_array_foreach(items, i, v) {
				const char *k = json_string_value(v);

				if ((rc = ask_one(st, tx, ask_check_item, "check", k, 0, ev, e)) < 0)
					break;
				if (!rc && met) {
					met = 0;
					snprintf(missing, sizeof(missing),
						 "no enabled check on item '%.64s'", k);
				}
			}
		} else if (!*service) {
			snprintf(missing, sizeof(missing), "the checklist names no item or service");
		} else if ((rc = ask_one(st, tx, ask_check_service, "check", service, 0, ev, e)) >= 0) {
			met = rc;
			snprintf(missing, sizeof(missing),
				 "no enabled check on an item of service '%.64s'", service);
		}
		break;
	case ACC_RULE_PROCEDURE:
		if ((rc = ask_any(st, tx, ask_procedure, "procedure", service, items, 0, ev, e)) >= 0)
			met = rc;
		snprintf(missing, sizeof(missing),
			 "no published procedure names an item or the service");
		break;
	case ACC_RULE_BACKUP:
		if (days < 1)
			days = ACC_BACKUP_DAYS;
		if ((rc = ask_any(st, tx, ask_backup, "run", service, items, now - days * DAY, ev,
				  e)) >= 0)
			met = rc;
		snprintf(missing, sizeof(missing),
			 "no backup procedure naming an item or the service completed without "
			 "deviation in the last %lld days",
			 (long long)days);
		break;
	case ACC_RULE_SLA:
		if (*service) {
			if ((rc = ask_one(st, tx, ask_sla, "sla", service, 0, ev, e)) >= 0)
				met = rc;
			snprintf(missing, sizeof(missing), "no active SLA on service '%.64s'",
				 service);
		} else {
			snprintf(missing, sizeof(missing), "the checklist names no service");
		}
		break;
	default:
		met = json_array_size(json_object_get(c, "notes")) > 0;
		snprintf(missing, sizeof(missing), "no evidence note recorded");
		break;
	}
	if (rc < 0) {
		json_decref(ev);
		return rc;
	}
	if (json_object_set_new(c, "met", json_boolean(met)) | json_object_set_new(c, "evidence", ev) |
	    (!met && json_object_set_new(c, "missing", json_string(missing))))
		return err_set(e, ERR_INTERNAL, NULL, "out of memory");
	return 0;
}

int acc_evidence_eval(struct store *st, struct store_tx *tx, const char *service,
		      const json_t *items, json_t *criteria, int64_t now, struct err *e)
{
	size_t i;
	json_t *c;
	int rc;

	json_array_foreach(criteria, i, c)
		if ((rc = eval_one(st, tx, service ? service : "", items, c, now, e)))
			return rc;
	return 0;
}
