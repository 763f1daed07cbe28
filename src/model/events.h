/*
 * model/events.h — monitoring's records as the store hands them out: a
 * normalised event, the alert one dedup key keeps for its life, and an
 * active check with its last result.
 *
 * Plain data and the names of its enums: no rules, no I/O (parsing and
 * correlation are domain/events/). Strings marked "owned" are freed by the
 * *_release functions.
 */
#ifndef ITSM_MODEL_EVENTS_H
#define ITSM_MODEL_EVENTS_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#define EVENT_DEDUP_MAX 255
#define EVENT_NAME_MAX 255     /* source, resource, check of itsm's own events */
#define EVENT_SUMMARY_MAX 1024 /* longer foreign summaries are cut (UTF-8 safe) */

enum event_severity { EVENT_OK, EVENT_INFO, EVENT_WARNING, EVENT_CRITICAL };
enum event_action { EVENT_TRIGGER, EVENT_RESOLVE, EVENT_ACKNOWLEDGE };

struct event {
	char *source;    /* owned: "alertmanager", "events-v2" or the sender's */
	char *resource;  /* owned: item key or name; "" when the sender gave none */
	char *check;     /* owned */
	enum event_severity severity;
	char *summary;   /* owned */
	char *dedup_key; /* owned */
	json_t *details; /* owned reference, a JSON object */
	int64_t at;      /* seconds since the epoch */
	enum event_action action;
};

/* "ok", "info", "warning", "critical" and back (parse returns 0 or
 * ERR_INVALID; names are matched exactly, lowercase). */
const char *event_severity_name(enum event_severity s);
int event_severity_parse(const char *s, enum event_severity *out);
/* "trigger", "resolve", "acknowledge" and back (parse as above). */
const char *event_action_name(enum event_action a);
int event_action_parse(const char *s, enum event_action *out);

/* Free what ev owns and zero it; safe on a zeroed event. */
void event_release(struct event *ev);
/* Release n events and free the array itself. */
void event_free_array(struct event *evs, size_t n);

#define ALERT_TRANSITIONS_MAX 16

struct alert {
	int64_t id;
	char *dedup_key, *source, *resource, *check_name, *summary; /* owned */
	int64_t ci_id;       /* 0 when the resource names no item */
	enum event_severity severity;
	int open;
	int flapping;
	int64_t count, first_seen, last_seen, last_at;
	int64_t incident_id; /* 0 when none */
	int64_t transitions[ALERT_TRANSITIONS_MAX]; /* event times of state changes, newest last */
	int n_transitions;
	int64_t opened_at, closed_at;
};

void alert_release(struct alert *a);

/* Service states, numbered as the plugin exit codes. */
enum plugin_state {
	PLUGIN_OK = 0,
	PLUGIN_WARNING = 1,
	PLUGIN_CRITICAL = 2,
	PLUGIN_UNKNOWN = 3,
};

/* "ok", "warning", "critical", "unknown". */
const char *plugin_state_name(enum plugin_state s);

struct check {
	int64_t id;
	char name[64];
	int64_t ci_id;
	char ci[64];        /* key, filled on read */
	char command[64];   /* the command template's name; "" for a check stored
			     * before templates, which has legacy_argv instead */
	json_t *args;       /* owned: the template's arguments, array of strings */
	json_t *legacy_argv; /* owned: the raw argument vector of a check stored
			      * before templates (migration 008), else NULL */
	int interval_s, retry_s, max_attempts, timeout_s;
	int enabled;
	enum plugin_state state;      /* of the last result */
	int hard;                     /* state_type: 1 hard, 0 soft */
	enum plugin_state hard_state; /* the last hard state */
	int pending;                  /* never run */
	int attempt;
	int64_t last_run, next_run;
	char *last_output;            /* owned */
	int last_exit;
	int64_t last_duration_ms;
	int64_t created_at, updated_at, version;
};

void check_release(struct check *c);
void check_free_array(struct check *c, size_t n);

#endif
