/*
 * acceptance_rules.c — the data of operational acceptance: the criteria
 * templates a new checklist starts from, the names of the evidence rules and
 * of the statuses. Pure: no store, no clock.
 */
#include "domain/acceptance/acceptance.h"

#include <string.h>

static const struct acc_template templates[] = {
	{ "monitoring", "Monitoring in place", ACC_RULE_CHECK, 1, 0 },
	{ "runbooks", "Runbooks published", ACC_RULE_PROCEDURE, 1, 0 },
	{ "backups", "Backups tested", ACC_RULE_BACKUP, 1, ACC_BACKUP_DAYS },
	{ "sla", "SLA agreed", ACC_RULE_SLA, 1, 0 },
	{ "capacity", "Capacity checked", ACC_RULE_MANUAL, 1, 0 },
	{ "desk_trained", "Service desk trained", ACC_RULE_MANUAL, 1, 0 },
	{ "security", "Security review done", ACC_RULE_MANUAL, 0, 0 },
	{ NULL, NULL, ACC_RULE_MANUAL, 0, 0 },
};

static const char *const rule_names[ACC_RULE__COUNT] = {
	[ACC_RULE_CHECK] = "check",	[ACC_RULE_PROCEDURE] = "procedure",
	[ACC_RULE_BACKUP] = "backup_run", [ACC_RULE_SLA] = "sla",
	[ACC_RULE_MANUAL] = "manual",
};

static const char *const rule_texts[ACC_RULE__COUNT] = {
	[ACC_RULE_CHECK] = "an enabled check on every item of the checklist (without items: on "
			   "an item of its service)",
	[ACC_RULE_PROCEDURE] = "a published procedure whose title or steps name an item or the "
			       "service of the checklist",
	[ACC_RULE_BACKUP] = "a completed run, within the criterion's days and without a deviating "
			    "step, of a procedure titled with 'backup' that names an item or the "
			    "service",
	[ACC_RULE_SLA] = "an active SLA of a customer on the checklist's service",
	[ACC_RULE_MANUAL] = "a note recorded by a staff user",
};

static const char *const status_names[ACC_STATUS__COUNT] = {
	[ACC_OPEN] = "open", [ACC_GO] = "go", [ACC_NO_GO] = "no_go",
};

const char *acc_rule_name(enum acc_rule r)
{
	return r < ACC_RULE__COUNT ? rule_names[r] : "";
}

const char *acc_rule_text(enum acc_rule r)
{
	return r < ACC_RULE__COUNT ? rule_texts[r] : "";
}

int acc_rule_parse(const char *name, enum acc_rule *out)
{
	for (int i = 0; name && i < ACC_RULE__COUNT; i++)
		if (!strcmp(name, rule_names[i])) {
			*out = (enum acc_rule)i;
			return 0;
		}
	return -1;
}

const char *acc_status_name(enum acc_status s)
{
	return s < ACC_STATUS__COUNT ? status_names[s] : "";
}

int acc_status_parse(const char *name, enum acc_status *out)
{
	for (int i = 0; name && i < ACC_STATUS__COUNT; i++)
		if (!strcmp(name, status_names[i])) {
			*out = (enum acc_status)i;
			return 0;
		}
	return -1;
}

const struct acc_template *acc_templates(void)
{
	return templates;
}

const struct acc_template *acc_template_find(const char *code)
{
	for (const struct acc_template *t = templates; code && t->code; t++)
		if (!strcmp(t->code, code))
			return t;
	return NULL;
}

int acc_code_valid(const char *code)
{
	size_t n = code ? strlen(code) : 0;

	if (n < 1 || n > 32 || code[0] < 'a' || code[0] > 'z')
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((code[i] >= 'a' && code[i] <= 'z') || (code[i] >= '0' && code[i] <= '9') ||
		      code[i] == '_'))
			return 0;
	return 1;
}
