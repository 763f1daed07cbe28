/*
 * demo.c — the demo organisation. Deterministic: the same store every time
 * (a fixed pseudo-random sequence), placed relative to `now`. Times are set
 * through the injected clock so each step lands at its moment in the past.
 */
#include "domain/demo/demo.h"
#include "domain/desk/ticket.h"
#include "domain/platform/user.h"
#include "lib/timeutil.h"
#include "store/store.h"

#include <string.h>

static const struct {
	const char *key, *name;
} customers[] = {
	{ "acme", "Acme Manufacturing" },
	{ "globex", "Globex Logistics" },
	{ "initech", "Initech Finance" },
};

static const struct {
	const char *username, *name, *role, *customer, *groups;
} users[] = {
	{ "admin", "Ada Admin", "admin", NULL, "" },
	{ "mori", "Mori Haruka", "manager", NULL, "service-desk,operations" },
	{ "kato", "Kato Ren", "manager", NULL, "operations" },
	{ "sato", "Sato Yui", "agent", NULL, "service-desk" },
	{ "suzuki", "Suzuki Kenta", "agent", NULL, "service-desk" },
	{ "takahashi", "Takahashi Mei", "agent", NULL, "service-desk,network" },
	{ "tanaka", "Tanaka Sho", "agent", NULL, "network" },
	{ "ito", "Ito Aoi", "agent", NULL, "applications" },
	{ "watanabe", "Watanabe Riku", "operator", NULL, "operations" },
	{ "yamamoto", "Yamamoto Hina", "operator", NULL, "operations" },
	{ "alice", "Alice Anders", "requester", "acme", "" },
	{ "bob", "Bob Brandt", "requester", "acme", "" },
	{ "carol", "Carol Chen", "requester", "acme", "" },
	{ "dave", "Dave Dobbs", "requester", "globex", "" },
	{ "erin", "Erin Evans", "requester", "globex", "" },
	{ "frank", "Frank Fox", "requester", "globex", "" },
	{ "grace", "Grace Green", "requester", "initech", "" },
	{ "heidi", "Heidi Hall", "requester", "initech", "" },
	{ "ivan", "Ivan Iles", "requester", "initech", "" },
	{ "judy", "Judy Jones", "requester", "initech", "" },
};

static const char *const services[] = { "email", "erp", "network", "web-shop", "vpn" };
static const char *const agents[] = { "sato", "suzuki", "takahashi", "tanaka", "ito" };

static const char *const incident_titles[] = {
	"Cannot send e-mail from Outlook",   "ERP order entry times out",
	"VPN disconnects every few minutes", "Web shop checkout returns error 502",
	"Printer on floor 3 offline",	     "Shared drive very slow",
	"Password reset mail never arrives", "Warehouse scanner cannot reach ERP",
	"Nightly invoice batch failed",	     "Wi-Fi drops in meeting room B",
};
static const char *const request_titles[] = {
	"New laptop for new hire",	  "Access to ERP purchasing module",
	"VPN account for contractor",	  "Increase mailbox quota",
	"Install statistics software",	  "New distribution list for sales",
	"Firewall rule for supplier SFTP", "Second monitor for accounting",
};
static const char *const inquiry_titles[] = {
	"How do I set an out-of-office reply?", "Where can I find the VPN client?",
	"Is the ERP maintenance this weekend?", "How do I share a calendar?",
	"Which browsers does the web shop support?",
};

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint32_t rnd(uint32_t n)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t)(rng_state % n);
}

void demo_print_users(void (*print)(const char *line, void *ctx), void *ctx)
{
	char line[160];

	for (size_t i = 0; i < sizeof(users) / sizeof(users[0]); i++) {
		snprintf(line, sizeof(line), "%-10s %-9s %s", users[i].username, users[i].role,
			 users[i].customer ? users[i].customer : "");
		print(line, ctx);
	}
}

static int patch(struct store *st, const struct actor *a, const char *key, json_t *in,
		 int64_t *version, struct err *e)
{
	json_t *out = NULL;
	int rc;

	json_object_set_new(in, "version", json_integer(*version));
	rc = ticket_update(st, a, key, in, &out, e);
	json_decref(in);
	if (!rc)
		*version = json_integer_value(json_object_get(out, "version"));
	json_decref(out);
	return rc;
}

static int say(struct store *st, const struct actor *a, const char *key, const char *body,
	       int pub, struct err *e)
{
	json_t *in = json_pack("{s:s, s:b}", "body", body, "public", pub), *out = NULL;
	int rc = ticket_comment(st, a, key, in, &out, e);

	json_decref(in);
	json_decref(out);
	return rc;
}

/* Walk one ticket from new to its final status, a step at a time. */
static int one_ticket(struct store *st, int64_t now, int i, struct err *e)
{
	static const enum ticket_status finals[] = { ST_NEW,	  ST_ASSIGNED, ST_IN_PROGRESS,
						     ST_PENDING,  ST_RESOLVED, ST_RESOLVED,
						     ST_CLOSED,	  ST_CLOSED,   ST_CLOSED,
						     ST_CANCELLED };
	size_t c = rnd(3), nreq = 0, pick;
	const char *req_names[4];
	const char *title;
	enum ticket_kind kind = (enum ticket_kind)(rnd(10) < 5 ? KIND_INCIDENT :
					      rnd(2) ? KIND_REQUEST : KIND_INQUIRY);
	enum ticket_status final = finals[rnd(10)];
	struct actor req, agent;
	int64_t t = now - 60 * 86400 + (int64_t)i * (60 * 86400 / 200) + rnd(3600), version;
	json_t *in, *out = NULL;
	char key[24];
	int rc;

	for (size_t u = 0; u < sizeof(users) / sizeof(users[0]); u++)
		if (users[u].customer && !strcmp(users[u].customer, customers[c].key))
			req_names[nreq++] = users[u].username;
	pick = rnd((uint32_t)nreq);
	if ((rc = actor_for_username(st, req_names[pick], &req, e)) ||
	    (rc = actor_for_username(st, agents[rnd(5)], &agent, e)))
		return rc;
	if (kind == KIND_INCIDENT)
		title = incident_titles[rnd(10)];
	else if (kind == KIND_REQUEST)
		title = request_titles[rnd(8)];
	else
		title = inquiry_titles[rnd(5)];
	/* Recent tickets are still open: the final status follows the age. */
	if (now - t < 3 * 86400 && ticket_status_is_terminal(final))
		final = ST_IN_PROGRESS;
	clock_set(t);
	in = json_pack("{s:s, s:s, s:s, s:i, s:i, s:s, s:s}", "kind", ticket_kind_name(kind),
		       "title", title, "description",
		       "Reported through the portal. Details as discussed on the phone.", "impact",
		       1 + rnd(3), "urgency", 1 + rnd(3), "service", services[rnd(5)], "channel",
		       rnd(3) ? "web" : "email");
	rc = ticket_create(st, &req, in, &out, e);
	json_decref(in);
	if (rc)
		return rc;
	snprintf(key, sizeof(key), "%s", json_string_value(json_object_get(out, "key")));
	version = json_integer_value(json_object_get(out, "version"));
	json_decref(out);
	if (final == ST_NEW)
		return 0;
	if (final == ST_CANCELLED) {
		clock_set(t += 600 + rnd(3600));
		return patch(st, &req, key, json_pack("{s:s}", "status", "cancelled"), &version, e);
	}
	clock_set(t += 300 + rnd(3000));
	if ((rc = patch(st, &agent, key, json_pack("{s:s}", "assignee", agent.username), &version,
			e)))
		return rc;
	if (final == ST_ASSIGNED)
		return 0;
	clock_set(t += 300 + rnd(3600));
	if ((rc = patch(st, &agent, key, json_pack("{s:s}", "status", "in_progress"), &version,
			e)) ||
	    (rc = say(st, &agent, key, "Thank you, we are looking into it.", 1, e)))
		return rc;
	if (rnd(2) && (rc = say(st, &agent, key, "Checked the logs; likely the upstream link.", 0, e)))
		return rc;
	if (final == ST_IN_PROGRESS)
		return 0;
	if (final == ST_PENDING || rnd(4) == 0) {
		clock_set(t += 600 + rnd(7200));
		if ((rc = patch(st, &agent, key, json_pack("{s:s}", "status", "pending"), &version,
				e)) ||
		    (rc = say(st, &agent, key, "Could you tell us when this started?", 1, e)))
			return rc;
		if (final == ST_PENDING)
			return 0;
		clock_set(t += 1800 + rnd(86400));
		if ((rc = say(st, &req, key, "It started on Monday morning.", 1, e)) ||
		    (rc = patch(st, &agent, key, json_pack("{s:s}", "status", "in_progress"),
				&version, e)))
			return rc;
	}
	clock_set(t += 1800 + rnd(6 * 3600));
	if ((rc = say(st, &agent, key, "Fixed: please check on your side.", 1, e)) ||
	    (rc = patch(st, &agent, key, json_pack("{s:s}", "status", "resolved"), &version, e)))
		return rc;
	if (final == ST_RESOLVED)
		return 0;
	clock_set(t += 3600 + rnd(2 * 86400));
	return patch(st, &req, key, json_pack("{s:s}", "status", "closed"), &version, e);
}

int demo_load(struct store *st, int64_t now, int *loaded, struct err *e)
{
	struct actor sys;
	int64_t n;
	int rc = 0;

	*loaded = 0;
	if ((rc = st->ops->user_count(st, &n, e)))
		return rc;
	if (n > 0)
		return 0; /* a store in use keeps its data */
	actor_system(&sys, "demo");
	clock_set(now - 61 * 86400);
	for (size_t i = 0; i < sizeof(customers) / sizeof(customers[0]); i++) {
		json_t *in = json_pack("{s:s, s:s}", "key", customers[i].key, "name",
				       customers[i].name), *out = NULL;

		rc = customer_add(st, &sys, in, &out, e);
		json_decref(in);
		json_decref(out);
		if (rc)
			goto out;
	}
	for (size_t i = 0; i < sizeof(users) / sizeof(users[0]); i++) {
		json_t *in = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "username",
				       users[i].username, "name", users[i].name, "role",
				       users[i].role, "password", DEMO_PASSWORD, "groups",
				       users[i].groups, "email", ""), *out = NULL;

		if (users[i].customer)
			json_object_set_new(in, "customer", json_string(users[i].customer));
		rc = user_add(st, &sys, in, &out, e);
		json_decref(in);
		json_decref(out);
		if (rc)
			goto out;
	}
	if ((rc = demo_catalogue(st, &sys, now, e)))
		goto out;
	for (int i = 0; i < 200; i++)
		if ((rc = one_ticket(st, now, i, e)))
			goto out;
out:
	clock_set(-1);
	*loaded = !rc;
	return rc;
}
