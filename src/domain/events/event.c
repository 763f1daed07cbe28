/*
 * event.c — turning the event payloads itsm accepts into one struct event.
 *
 * The idea: each parser first reads and checks every field it needs from
 * the JSON (borrowed pointers only, nothing allocated), and only when the
 * whole payload is valid does it build owned events. A malformed payload
 * therefore yields an error naming the first item at fault and nothing
 * else; Alertmanager batches are all-or-nothing across their alerts.
 *
 * Invariants: see event.h. Foreign senders (Alertmanager, Events v2) get
 * lenient treatment where refusing would lose a real alert (long summaries
 * are cut, a missing resource becomes ""), itsm's own API is strict.
 */
#include "domain/events/event.h"

#include <sodium.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lib/buf.h"
#include "lib/timeutil.h"

#define FIELD_MAX 64

/* Alertmanager's label "severity" → ours; anything else is a warning. */
static const struct {
	const char *label;
	enum event_severity sev;
} am_severities[] = {
	{ "critical", EVENT_CRITICAL }, { "error", EVENT_CRITICAL }, { "page", EVENT_CRITICAL },
	{ "warning", EVENT_WARNING },   { "info", EVENT_INFO },      { "none", EVENT_INFO },
};

/* Events v2 payload.severity → ours. */
static const struct {
	const char *name;
	enum event_severity sev;
} v2_severities[] = {
	{ "critical", EVENT_CRITICAL },
	{ "error", EVENT_CRITICAL },
	{ "warning", EVENT_WARNING },
	{ "info", EVENT_INFO },
};

static const char *const am_default_labels[] = { "ci", "instance", "job" };

static int oom(struct err *e)
{
	return err_set(e, ERR_INTERNAL, NULL, "out of memory building an event");
}

int event_dedup_key_limit(char **key, struct err *e)
{
	unsigned char h[32];
	char *hex;

	if (strlen(*key) <= EVENT_DEDUP_MAX)
		return 0;
	if (sodium_init() < 0)
		return err_set(e, ERR_INTERNAL, NULL, "libsodium failed to initialise");
	crypto_generichash(h, sizeof(h), (const unsigned char *)*key, strlen(*key), NULL, 0);
	hex = malloc(2 * sizeof(h) + 1);
	if (!hex)
		return oom(e);
	sodium_bin2hex(hex, 2 * sizeof(h) + 1, h, sizeof(h));
	free(*key);
	*key = hex;
	return 0;
}

/* A copy of s cut to at most max bytes, never inside a UTF-8 sequence. */
static char *dup_cut(const char *s, size_t max)
{
	size_t n = strlen(s);

	if (n > max) {
		n = max;
		while (n && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
	}
	return strndup(s, n);
}

/*
 * Read the optional string member key of obj into *out (borrowed): absent,
 * null and "" give NULL; any other non-string is invalid.
 */
static int opt_string(const json_t *obj, const char *key, const char *field, const char **out,
		      struct err *e)
{
	const json_t *v = json_object_get(obj, key);

	*out = NULL;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_string(v))
		return err_set(e, ERR_INVALID, field, "'%s' must be a string", field);
	if (json_string_value(v)[0])
		*out = json_string_value(v);
	return 0;
}

/* As opt_string, but absent or empty is invalid too. */
static int req_string(const json_t *obj, const char *key, const char *field, const char **out,
		      struct err *e)
{
	int rc = opt_string(obj, key, field, out, e);

	if (!rc && !*out)
		rc = err_set(e, ERR_INVALID, field, "missing '%s'", field);
	return rc;
}

static int check_len(const char *s, size_t max, const char *field, struct err *e)
{
	if (s && strlen(s) > max)
		return err_set(e, ERR_INVALID, field, "'%s' is longer than %zu bytes", field, max);
	return 0;
}

/* An optional member that must be an object when present (null = absent). */
static int opt_object(const json_t *obj, const char *key, const char *field, const json_t **out,
		      struct err *e)
{
	const json_t *v = json_object_get(obj, key);

	*out = NULL;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_object(v))
		return err_set(e, ERR_INVALID, field, "'%s' must be an object", field);
	*out = v;
	return 0;
}

/* RFC 3339, plus the ISO 8601 "±HHMM" offset PagerDuty's examples use. */
static int parse_time(const char *s, int64_t *t)
{
	char tmp[48];
	size_t n = strlen(s);

	if (!time_parse_rfc3339(s, t))
		return 0;
	if (n < 24 || n + 2 > sizeof(tmp) || (s[n - 5] != '+' && s[n - 5] != '-'))
		return ERR_INVALID;
	memcpy(tmp, s, n - 2);
	tmp[n - 2] = ':';
	memcpy(tmp + n - 1, s + n - 2, 3);
	return time_parse_rfc3339(tmp, t);
}

static int time_field(const char *s, const char *field, int64_t *t, struct err *e)
{
	if (parse_time(s, t))
		return err_set(e, ERR_INVALID, field, "invalid timestamp '%.64s'", s);
	return 0;
}

/* Fill ev's strings from the given (borrowed) values, taking details. */
static int event_fill(struct event *ev, const char *source, const char *resource,
		      const char *check, const char *summary, size_t summary_max, char *dedup,
		      json_t *details, struct err *e)
{
	int rc;

	ev->details = details;
	ev->dedup_key = dedup;
	ev->source = strdup(source);
	ev->resource = strdup(resource ? resource : "");
	ev->check = strdup(check ? check : "");
	ev->summary = dup_cut(summary ? summary : "", summary_max);
	if (!ev->details || !ev->dedup_key || !ev->source || !ev->resource || !ev->check ||
	    !ev->summary) {
		rc = oom(e);
		goto fail;
	}
	rc = event_dedup_key_limit(&ev->dedup_key, e);
	if (rc)
		goto fail;
	return 0;
fail:
	event_release(ev);
	return rc;
}

/* "a::b::c", owned by the caller (NULL when out of memory). */
static char *join3(const char *a, const char *b, const char *c)
{
	struct buf k = BUF_INIT;

	if (buf_printf(&k, "%s::%s::%s", a ? a : "", b ? b : "", c ? c : "")) {
		buf_release(&k);
		return NULL;
	}
	return buf_detach(&k, NULL);
}

static int parse_own(const json_t *j, struct event *ev, struct err *e)
{
	const char *source, *resource, *check, *sev, *summary, *dedup, *at;
	const json_t *details;
	struct buf sum = BUF_INIT;
	int rc;

	if (!json_is_object(j))
		return err_set(e, ERR_INVALID, NULL, "event must be a JSON object");
	if ((rc = req_string(j, "source", "source", &source, e)) ||
	    (rc = check_len(source, EVENT_NAME_MAX, "source", e)) ||
	    (rc = req_string(j, "resource", "resource", &resource, e)) ||
	    (rc = check_len(resource, EVENT_NAME_MAX, "resource", e)) ||
	    (rc = req_string(j, "check", "check", &check, e)) ||
	    (rc = check_len(check, EVENT_NAME_MAX, "check", e)) ||
	    (rc = req_string(j, "severity", "severity", &sev, e)) ||
	    (rc = opt_string(j, "summary", "summary", &summary, e)) ||
	    (rc = check_len(summary, EVENT_SUMMARY_MAX, "summary", e)) ||
	    (rc = opt_string(j, "dedup_key", "dedup_key", &dedup, e)) ||
	    (rc = opt_object(j, "details", "details", &details, e)) ||
	    (rc = opt_string(j, "at", "at", &at, e)))
		return rc;
	if (event_severity_parse(sev, &ev->severity))
		return err_set(e, ERR_INVALID, "severity", "unknown severity '%.32s'", sev);
	ev->at = clock_now();
	if (at && (rc = time_field(at, "at", &ev->at, e)))
		return rc;
	ev->action = ev->severity == EVENT_OK ? EVENT_RESOLVE : EVENT_TRIGGER;
	if (!summary) {
		if (buf_printf(&sum, "%s %s on %s", check, sev, resource))
			return oom(e);
		summary = buf_str(&sum);
	}
	rc = event_fill(ev, source, resource, check, summary, EVENT_SUMMARY_MAX,
			dedup ? strdup(dedup) : join3(source, resource, check),
			details ? json_deep_copy(details) : json_object(), e);
	buf_release(&sum);
	return rc;
}

int event_parse(const json_t *j, struct event *ev, struct err *e)
{
	int rc;

	memset(ev, 0, sizeof(*ev));
	rc = parse_own(j, ev, e);
	if (rc)
		event_release(ev);
	return rc;
}

/* ---- Alertmanager ---------------------------------------------------- */

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

/* "host:9100" → "host", "[::1]:9100" → "::1", "[::1]" → "::1"; a bare IPv6
 * address or a non-numeric suffix is left alone. Returns the length kept. */
static size_t strip_port(const char *v, const char **start)
{
	const char *close, *colon;

	*start = v;
	if (v[0] == '[' && (close = strchr(v, ']')) &&
	    (!close[1] || (close[1] == ':' && all_digits(close + 2)))) {
		*start = v + 1;
		return (size_t)(close - v - 1);
	}
	colon = strchr(v, ':');
	if (colon && !strchr(colon + 1, ':') && all_digits(colon + 1))
		return (size_t)(colon - v);
	return strlen(v);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Render labels (all string values) as {a="1",b="2"}, names sorted. */
static int render_labels(const json_t *labels, struct buf *out)
{
	size_t n = json_object_size(labels), i = 0;
	const char **keys = calloc(n ? n : 1, sizeof(*keys));
	const char *k, *v;
	json_t *val;
	int rc = 0;

	if (!keys)
		return ERR_INTERNAL;
	json_object_foreach((json_t *)labels, k, val)
		keys[i++] = k;
	qsort(keys, n, sizeof(*keys), cmp_str);
	rc = buf_putc(out, '{');
	for (i = 0; !rc && i < n; i++) {
		rc = buf_printf(out, "%s%s=\"", i ? "," : "", keys[i]);
		for (v = json_string_value(json_object_get(labels, keys[i])); !rc && *v; v++) {
			if (*v == '"' || *v == '\\')
				rc = buf_putc(out, '\\') || buf_putc(out, *v);
			else if (*v == '\n')
				rc = buf_puts(out, "\\n");
			else
				rc = buf_putc(out, *v);
		}
		if (!rc)
			rc = buf_putc(out, '"');
	}
	if (!rc)
		rc = buf_putc(out, '}');
	free(keys);
	return rc ? ERR_INTERNAL : 0;
}

static enum event_severity am_severity(const char *label)
{
	for (size_t i = 0; label && i < sizeof(am_severities) / sizeof(am_severities[0]); i++)
		if (!strcasecmp(label, am_severities[i].label))
			return am_severities[i].sev;
	return EVENT_WARNING;
}

/* The borrowed string of a string member, or NULL (absent, other type, ""). */
static const char *str_member(const json_t *obj, const char *key)
{
	const char *s = json_string_value(json_object_get(obj, key));

	return s && *s ? s : NULL;
}

/* Set key to a deep copy of v when v is not NULL; -1 when out of memory. */
static int set_copy(json_t *obj, const char *key, const json_t *v)
{
	return v ? json_object_set_new(obj, key, json_deep_copy(v)) : 0;
}

/* The resource: the first configured label that is present and non-empty
 * (for "instance", once its port is gone); "" when none is. */
static size_t am_resource(const json_t *labels, const struct am_config *cfg, const char **out)
{
	const char *const *names = am_default_labels;
	size_t n = sizeof(am_default_labels) / sizeof(am_default_labels[0]), len;
	const char *v;

	if (cfg && cfg->resource_labels && cfg->n_resource_labels) {
		names = cfg->resource_labels;
		n = cfg->n_resource_labels;
	}
	for (size_t k = 0; k < n; k++) {
		if (!names[k] || !(v = str_member(labels, names[k])))
			continue;
		if (!strcmp(names[k], "instance")) {
			len = strip_port(v, out);
		} else {
			*out = v;
			len = strlen(v);
		}
		if (len)
			return len;
	}
	*out = "";
	return 0;
}

/* One element of "alerts" (index i) into ev. */
static int am_alert(const json_t *a, size_t i, const json_t *group_key,
		    const struct am_config *cfg, struct event *ev, struct err *e)
{
	char f[FIELD_MAX];
	const char *status, *starts, *ends, *fp, *url, *name, *rs, *summary;
	const json_t *labels, *ann;
	size_t rl;
	struct buf set = BUF_INIT;
	json_t *details = NULL, *val;
	char *resource = NULL;
	int64_t t_start, t_end = 0;
	int rc;

#define AFIELD(s) (snprintf(f, sizeof(f), "alerts[%zu]" s, i), f)
	if (!json_is_object(a))
		return err_set(e, ERR_INVALID, AFIELD(""), "alert must be an object");
	labels = json_object_get(a, "labels");
	if (!json_is_object(labels))
		return err_set(e, ERR_INVALID, AFIELD(".labels"), "missing labels object");
	json_object_foreach((json_t *)labels, name, val)
		if (!json_is_string(val))
			return err_set(e, ERR_INVALID, AFIELD(".labels"),
				       "label '%.64s' must be a string", name);
	if ((rc = opt_object(a, "annotations", AFIELD(".annotations"), &ann, e)) ||
	    (rc = req_string(a, "status", AFIELD(".status"), &status, e)) ||
	    (rc = req_string(a, "startsAt", AFIELD(".startsAt"), &starts, e)) ||
	    (rc = time_field(starts, AFIELD(".startsAt"), &t_start, e)) ||
	    (rc = opt_string(a, "endsAt", AFIELD(".endsAt"), &ends, e)) ||
	    (ends && (rc = time_field(ends, AFIELD(".endsAt"), &t_end, e))) ||
	    (rc = opt_string(a, "fingerprint", AFIELD(".fingerprint"), &fp, e)) ||
	    (rc = opt_string(a, "generatorURL", AFIELD(".generatorURL"), &url, e)))
		return rc;
	if (strcmp(status, "firing") && strcmp(status, "resolved"))
		return err_set(e, ERR_INVALID, AFIELD(".status"), "unknown status '%.32s'",
			       status);
	if (!strcmp(status, "resolved") && !ends)
		return err_set(e, ERR_INVALID, AFIELD(".endsAt"), "missing 'endsAt'");
#undef AFIELD

	rl = am_resource(labels, cfg, &rs);
	resource = strndup(rs, rl);
	if (!resource)
		goto nomem;

	if (!strcmp(status, "resolved")) {
		ev->severity = EVENT_OK;
		ev->action = EVENT_RESOLVE;
		ev->at = t_end;
	} else {
		ev->severity = am_severity(str_member(labels, "severity"));
		ev->action = EVENT_TRIGGER;
		ev->at = t_start;
	}
	if (render_labels(labels, &set))
		goto nomem;
	name = str_member(labels, "alertname");
	summary = ann ? str_member(ann, "summary") : NULL;
	if (!summary && ann)
		summary = str_member(ann, "description");
	if (!summary)
		summary = name ? name : buf_str(&set);

	details = json_object();
	if (!details || set_copy(details, "labels", labels) ||
	    json_object_set_new(details, "annotations", ann ? json_deep_copy(ann) : json_object()) ||
	    set_copy(details, "generatorURL", json_object_get(a, "generatorURL")) ||
	    set_copy(details, "groupKey", group_key) ||
	    set_copy(details, "fingerprint", json_object_get(a, "fingerprint")) ||
	    set_copy(details, "startsAt", json_object_get(a, "startsAt")) ||
	    json_object_set_new(details, "status", json_string(status)))
		goto nomem;
	rc = event_fill(ev, "alertmanager", resource, name, summary, EVENT_SUMMARY_MAX,
			strdup(fp ? fp : buf_str(&set)), details, e);
	free(resource);
	buf_release(&set);
	return rc;
nomem:
	free(resource);
	json_decref(details);
	buf_release(&set);
	return oom(e);
}

int event_parse_alertmanager(const json_t *j, const struct am_config *cfg, struct event **evs,
			     size_t *n, struct err *e)
{
	const json_t *alerts, *group_key;
	const char *version;
	struct event *arr;
	size_t count;
	int rc;

	*evs = NULL;
	*n = 0;
	if (!json_is_object(j))
		return err_set(e, ERR_INVALID, NULL, "webhook body must be a JSON object");
	if ((rc = req_string(j, "version", "version", &version, e)))
		return rc;
	if (strcmp(version, "4"))
		return err_set(e, ERR_INVALID, "version", "unsupported version '%.16s'", version);
	group_key = json_object_get(j, "groupKey");
	if (group_key && !json_is_string(group_key) && !json_is_null(group_key))
		return err_set(e, ERR_INVALID, "groupKey", "'groupKey' must be a string");
	if (json_is_null(group_key))
		group_key = NULL;
	alerts = json_object_get(j, "alerts");
	if (!json_is_array(alerts))
		return err_set(e, ERR_INVALID, "alerts", "missing alerts array");
	count = json_array_size(alerts);
	if (!count)
		return 0;
	arr = calloc(count, sizeof(*arr));
	if (!arr)
		return oom(e);
	for (size_t i = 0; i < count; i++) {
		rc = am_alert(json_array_get(alerts, i), i, group_key, cfg, &arr[i], e);
		if (rc) {
			event_free_array(arr, i);
			return rc;
		}
	}
	*evs = arr;
	*n = count;
	return 0;
}

/* ---- PagerDuty Events API v2 ---------------------------------------- */

static int v2_severity(const char *s, enum event_severity *out)
{
	for (size_t i = 0; s && i < sizeof(v2_severities) / sizeof(v2_severities[0]); i++) {
		if (!strcmp(s, v2_severities[i].name)) {
			*out = v2_severities[i].sev;
			return 0;
		}
	}
	return ERR_INVALID;
}

static int parse_v2(const json_t *j, struct event *ev, struct err *e)
{
	const char *rkey, *act, *dedup, *summary = NULL, *source = NULL, *sev = NULL;
	const char *ts = NULL, *component = NULL, *group = NULL, *class = NULL, *check;
	const json_t *payload = NULL;
	json_t *details = NULL;
	enum event_severity given = EVENT_INFO;
	int rc;

	if (!json_is_object(j))
		return err_set(e, ERR_INVALID, NULL, "event must be a JSON object");
	if ((rc = req_string(j, "routing_key", "routing_key", &rkey, e)) ||
	    (rc = req_string(j, "event_action", "event_action", &act, e)) ||
	    (rc = opt_string(j, "dedup_key", "dedup_key", &dedup, e)) ||
	    (rc = opt_object(j, "payload", "payload", &payload, e)))
		return rc;
	if (event_action_parse(act, &ev->action))
		return err_set(e, ERR_INVALID, "event_action", "unknown event_action '%.32s'",
			       act);
	if (ev->action != EVENT_TRIGGER && !dedup)
		return err_set(e, ERR_INVALID, "dedup_key", "missing 'dedup_key'");
	if (ev->action == EVENT_TRIGGER && !payload)
		return err_set(e, ERR_INVALID, "payload", "missing 'payload'");
	if (payload &&
	    ((rc = opt_string(payload, "summary", "payload.summary", &summary, e)) ||
	     (rc = opt_string(payload, "source", "payload.source", &source, e)) ||
	     (rc = opt_string(payload, "severity", "payload.severity", &sev, e)) ||
	     (rc = opt_string(payload, "timestamp", "payload.timestamp", &ts, e)) ||
	     (rc = opt_string(payload, "component", "payload.component", &component, e)) ||
	     (rc = opt_string(payload, "group", "payload.group", &group, e)) ||
	     (rc = opt_string(payload, "class", "payload.class", &class, e))))
		return rc;
	if (ev->action == EVENT_TRIGGER) {
		if (!summary)
			return err_set(e, ERR_INVALID, "payload.summary", "missing 'payload.summary'");
		if (!source)
			return err_set(e, ERR_INVALID, "payload.source", "missing 'payload.source'");
		if (!sev)
			return err_set(e, ERR_INVALID, "payload.severity",
				       "missing 'payload.severity'");
	}
	if (sev && v2_severity(sev, &given))
		return err_set(e, ERR_INVALID, "payload.severity", "unknown severity '%.32s'", sev);
	ev->severity = ev->action == EVENT_RESOLVE ? EVENT_OK : given;
	ev->at = clock_now();
	if (ts && (rc = time_field(ts, "payload.timestamp", &ev->at, e)))
		return rc;
	check = class ? class : component ? component : "event";

	details = json_object();
	if (!details || (payload && set_copy(details, "custom_details",
					     json_object_get(payload, "custom_details"))) ||
	    (component && json_object_set_new(details, "component", json_string(component))) ||
	    (group && json_object_set_new(details, "group", json_string(group))) ||
	    (class && json_object_set_new(details, "class", json_string(class))) ||
	    set_copy(details, "client", json_object_get(j, "client")) ||
	    set_copy(details, "client_url", json_object_get(j, "client_url")) ||
	    set_copy(details, "links", json_object_get(j, "links")) ||
	    set_copy(details, "images", json_object_get(j, "images"))) {
		json_decref(details);
		return oom(e);
	}
	return event_fill(ev, "events-v2", source, check, summary, EVENT_SUMMARY_MAX,
			  dedup ? strdup(dedup) : join3(source, component, class), details, e);
}

int event_parse_events_v2(const json_t *j, struct event *ev, struct err *e)
{
	int rc;

	memset(ev, 0, sizeof(*ev));
	rc = parse_v2(j, ev, e);
	if (rc)
		event_release(ev);
	return rc;
}
