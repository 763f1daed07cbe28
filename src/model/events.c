/*
 * model/events.c — the names of severities, actions and plugin states, and
 * freeing monitoring's records.
 */
#include "model/events.h"
#include "lib/err.h"

#include <stdlib.h>
#include <string.h>

static const char *const severity_names[] = { "ok", "info", "warning", "critical" };
static const char *const action_names[] = { "trigger", "resolve", "acknowledge" };

static const char *const state_names[] = { "ok", "warning", "critical", "unknown" };

const char *event_severity_name(enum event_severity s)
{
	if ((int)s < 0 || (int)s > EVENT_CRITICAL)
		return "unknown";
	return severity_names[s];
}

int event_severity_parse(const char *s, enum event_severity *out)
{
	for (int i = 0; i <= EVENT_CRITICAL; i++) {
		if (s && !strcmp(s, severity_names[i])) {
			*out = (enum event_severity)i;
			return 0;
		}
	}
	return ERR_INVALID;
}

const char *event_action_name(enum event_action a)
{
	if ((int)a < 0 || (int)a > EVENT_ACKNOWLEDGE)
		return "unknown";
	return action_names[a];
}

int event_action_parse(const char *s, enum event_action *out)
{
	for (int i = 0; i <= EVENT_ACKNOWLEDGE; i++) {
		if (s && !strcmp(s, action_names[i])) {
			*out = (enum event_action)i;
			return 0;
		}
	}
	return ERR_INVALID;
}

const char *plugin_state_name(enum plugin_state s)
{
	if ((int)s < 0 || (int)s > PLUGIN_UNKNOWN)
		return "unknown";
	return state_names[s];
}

void event_release(struct event *ev)
{
	if (!ev)
		return;
	free(ev->source);
	free(ev->resource);
	free(ev->check);
	free(ev->summary);
	free(ev->dedup_key);
	json_decref(ev->details);
	memset(ev, 0, sizeof(*ev));
}

void event_free_array(struct event *evs, size_t n)
{
	for (size_t i = 0; evs && i < n; i++)
		event_release(&evs[i]);
	free(evs);
}

void alert_release(struct alert *a)
{
	if (!a)
		return;
	free(a->dedup_key);
	free(a->source);
	free(a->resource);
	free(a->check_name);
	free(a->summary);
	memset(a, 0, sizeof(*a));
}

void check_release(struct check *c)
{
	if (!c)
		return;
	json_decref(c->args);
	json_decref(c->legacy_argv);
	free(c->last_output);
	c->args = NULL;
	c->legacy_argv = NULL;
	c->last_output = NULL;
}

void check_free_array(struct check *c, size_t n)
{
	for (size_t i = 0; i < n; i++)
		check_release(&c[i]);
	free(c);
}
