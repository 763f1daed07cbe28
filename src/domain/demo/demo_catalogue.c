/*
 * demo_catalogue.c — the demo organisation's service level management,
 * inventory and staff: services, a business calendar, SLAs per customer,
 * outages in the last month, configuration items with their dependencies,
 * and staff with career records. All made through the modules' own
 * operations, as data (JSON texts), before the demo tickets are filed so
 * their SLA clocks run.
 */
#include "domain/cmdb/cmdb.h"
#include "domain/demo/demo.h"
#include "domain/sla/outage.h"
#include "domain/sla/service.h"
#include "domain/sla/sla.h"
#include "domain/skills/staff.h"
#include "lib/timeutil.h"
#include "store/store.h"

#include <string.h>

typedef int (*create_fn)(struct store *st, const struct actor *a, const json_t *in, json_t **out,
			 struct err *e);

/* Run one create with a JSON text; the answer is dropped. */
static int make(struct store *st, const struct actor *a, create_fn fn, const char *text,
		struct err *e)
{
	json_error_t je;
	json_t *in = json_loads(text, 0, &je), *out = NULL;
	int rc;

	if (!in)
		return err_set(e, ERR_INTERNAL, NULL, "demo data: %s in '%.40s'", je.text, text);
	rc = fn(st, a, in, &out, e);
	json_decref(in);
	json_decref(out);
	return rc;
}

static const char *const services[] = {
	"{\"key\":\"email\",\"name\":\"E-mail and calendars\",\"owner_group\":\"service-desk\"}",
	"{\"key\":\"erp\",\"name\":\"ERP (orders, stock, invoicing)\",\"owner_group\":\"applications\"}",
	"{\"key\":\"network\",\"name\":\"Office network and Wi-Fi\",\"owner_group\":\"network\"}",
	"{\"key\":\"web-shop\",\"name\":\"Web shop\",\"owner_group\":\"applications\"}",
	"{\"key\":\"vpn\",\"name\":\"Remote access (VPN)\",\"owner_group\":\"network\"}",
};

static const char calendar[] =
	"{\"name\":\"office-tokyo\",\"timezone\":\"Asia/Tokyo\",\"hours\":{"
	"\"mon\":[[\"09:00\",\"18:00\"]],\"tue\":[[\"09:00\",\"18:00\"]],"
	"\"wed\":[[\"09:00\",\"18:00\"]],\"thu\":[[\"09:00\",\"18:00\"]],"
	"\"fri\":[[\"09:00\",\"18:00\"]]},\"holidays\":[\"2026-12-31\",\"2027-01-01\"]}";

/* customer, service, calendar, response and resolution minutes at P1. */
static const struct {
	const char *customer, *service, *calendar;
	int response, resolution;
	double availability;
} slas[] = {
	{ "acme", "email", "office-tokyo", 30, 240, 99.5 },
	{ "acme", "erp", "24x7", 15, 240, 99.9 },
	{ "acme", "vpn", "office-tokyo", 30, 480, 99.0 },
	{ "globex", "web-shop", "24x7", 15, 120, 99.95 },
	{ "globex", "network", "24x7", 30, 240, 99.9 },
	{ "initech", "erp", "office-tokyo", 30, 480, 99.5 },
	{ "initech", "email", "office-tokyo", 60, 480, 99.0 },
};

static int add_slas(struct store *st, const struct actor *a, struct err *e)
{
	char text[1024];
	int rc;

	for (size_t i = 0; i < sizeof(slas) / sizeof(slas[0]); i++) {
		int n = snprintf(text, sizeof(text),
				 "{\"name\":\"%s-%s\",\"customer\":\"%s\",\"service\":\"%s\","
				 "\"calendar\":\"%s\",\"warn_at\":0.75,\"availability_target\":%.4f,"
				 "\"escalations\":[],\"targets\":{",
				 slas[i].customer, slas[i].service, slas[i].customer,
				 slas[i].service, slas[i].calendar, slas[i].availability);

		/* Lower priorities get proportionally longer targets. */
		for (int p = 1; p <= 5; p++)
			n += snprintf(text + n, sizeof(text) - (size_t)n,
				      "%s\"%d\":{\"response_minutes\":%d,\"resolution_minutes\":%d}",
				      p > 1 ? "," : "", p, slas[i].response * p,
				      slas[i].resolution * p);
		snprintf(text + n, sizeof(text) - (size_t)n, "}}");
		if ((rc = make(st, a, sla_add, text, e)))
			return rc;
	}
	return 0;
}

static const char *const cis[] = {
	"{\"key\":\"rack-a\",\"name\":\"Rack A, Tokyo DC\",\"type\":\"storage\",\"location\":\"Tokyo DC\"}",
	"{\"key\":\"sw-core01\",\"name\":\"Core switch 1\",\"type\":\"network_device\","
	"\"owner_group\":\"network\",\"attributes\":{\"vendor\":\"Cisco\",\"model\":\"C9500\"}}",
	"{\"key\":\"fw-01\",\"name\":\"Edge firewall\",\"type\":\"network_device\",\"owner_group\":\"network\"}",
	"{\"key\":\"srv-esx01\",\"name\":\"Hypervisor 1\",\"type\":\"server\",\"location\":\"Tokyo DC\","
	"\"attributes\":{\"os\":\"ESXi 8\",\"cpu\":32,\"ram_gb\":512}}",
	"{\"key\":\"srv-esx02\",\"name\":\"Hypervisor 2\",\"type\":\"server\",\"location\":\"Tokyo DC\","
	"\"attributes\":{\"os\":\"ESXi 8\",\"cpu\":32,\"ram_gb\":512}}",
	"{\"key\":\"srv-db01\",\"name\":\"Database server\",\"type\":\"server\",\"location\":\"Tokyo DC\"}",
	"{\"key\":\"vm-mail01\",\"name\":\"Mail VM\",\"type\":\"virtual_machine\"}",
	"{\"key\":\"vm-erp01\",\"name\":\"ERP application VM\",\"type\":\"virtual_machine\"}",
	"{\"key\":\"vm-web01\",\"name\":\"Web shop VM\",\"type\":\"virtual_machine\"}",
	"{\"key\":\"vpn-gw\",\"name\":\"VPN gateway\",\"type\":\"appliance\",\"owner_group\":\"network\"}",
	"{\"key\":\"db-erp\",\"name\":\"ERP database\",\"type\":\"database\","
	"\"attributes\":{\"engine\":\"PostgreSQL 15\"}}",
	"{\"key\":\"app-mail\",\"name\":\"Mail server\",\"type\":\"application\"}",
	"{\"key\":\"app-erp\",\"name\":\"ERP application\",\"type\":\"application\"}",
	"{\"key\":\"app-shop\",\"name\":\"Web shop application\",\"type\":\"application\"}",
	"{\"key\":\"svc-email\",\"name\":\"E-mail service\",\"type\":\"service\",\"service\":\"email\"}",
	"{\"key\":\"svc-erp\",\"name\":\"ERP service\",\"type\":\"service\",\"service\":\"erp\"}",
	"{\"key\":\"svc-network\",\"name\":\"Network service\",\"type\":\"service\",\"service\":\"network\"}",
	"{\"key\":\"svc-web-shop\",\"name\":\"Web shop service\",\"type\":\"service\",\"service\":\"web-shop\"}",
	"{\"key\":\"svc-vpn\",\"name\":\"VPN service\",\"type\":\"service\",\"service\":\"vpn\"}",
};

/* "source type target": the source depends on the target. */
static const char *const rels[][3] = {
	{ "srv-esx01", "part_of", "rack-a" },	  { "srv-esx02", "part_of", "rack-a" },
	{ "srv-db01", "part_of", "rack-a" },	  { "srv-esx01", "depends_on", "sw-core01" },
	{ "srv-esx02", "depends_on", "sw-core01" }, { "srv-db01", "depends_on", "sw-core01" },
	{ "vm-mail01", "runs_on", "srv-esx01" },   { "vm-erp01", "runs_on", "srv-esx02" },
	{ "vm-web01", "runs_on", "srv-esx01" },	  { "db-erp", "runs_on", "srv-db01" },
	{ "app-mail", "runs_on", "vm-mail01" },	  { "app-erp", "runs_on", "vm-erp01" },
	{ "app-erp", "depends_on", "db-erp" },	  { "app-shop", "runs_on", "vm-web01" },
	{ "app-shop", "depends_on", "app-erp" },  { "vpn-gw", "depends_on", "fw-01" },
	{ "fw-01", "depends_on", "sw-core01" },	  { "svc-email", "depends_on", "app-mail" },
	{ "svc-erp", "depends_on", "app-erp" },	  { "svc-web-shop", "depends_on", "app-shop" },
	{ "svc-web-shop", "depends_on", "fw-01" }, { "svc-network", "depends_on", "sw-core01" },
	{ "svc-vpn", "depends_on", "vpn-gw" },	  { "srv-db01", "backs_up", "srv-esx02" },
};

static int add_inventory(struct store *st, const struct actor *a, struct err *e)
{
	char text[256];
	int rc;

	for (size_t i = 0; i < sizeof(cis) / sizeof(cis[0]); i++)
		if ((rc = make(st, a, cmdb_ci_create, cis[i], e)))
			return rc;
	for (size_t i = 0; i < sizeof(rels) / sizeof(rels[0]); i++) {
		snprintf(text, sizeof(text), "{\"source\":\"%s\",\"type\":\"%s\",\"target\":\"%s\"}",
			 rels[i][0], rels[i][1], rels[i][2]);
		if ((rc = make(st, a, cmdb_rel_create, text, e)))
			return rc;
	}
	return 0;
}

/* A planned maintenance and two unplanned outages in the last month. */
static int add_outages(struct store *st, const struct actor *a, int64_t now, struct err *e)
{
	static const struct {
		const char *service;
		int64_t days_ago, minutes;
		int planned;
	} outages[] = {
		{ "erp", 20, 120, 1 }, { "erp", 12, 47, 0 }, { "web-shop", 5, 18, 0 },
	};
	char text[256], from[RFC3339_LEN], to[RFC3339_LEN];
	int rc;

	for (size_t i = 0; i < sizeof(outages) / sizeof(outages[0]); i++) {
		int64_t start = now - outages[i].days_ago * 86400;

		time_format_rfc3339(start, from);
		time_format_rfc3339(start + outages[i].minutes * 60, to);
		snprintf(text, sizeof(text),
			 "{\"service\":\"%s\",\"start\":\"%s\",\"end\":\"%s\",\"planned\":%s}",
			 outages[i].service, from, to, outages[i].planned ? "true" : "false");
		if ((rc = make(st, a, outage_create, text, e)))
			return rc;
	}
	return 0;
}

static int add_staff(struct store *st, const struct actor *a, struct err *e)
{
	static const char *const staff[] = {
		"{\"key\":\"mori\",\"name\":\"Mori Haruka\",\"groups\":[\"operations\"],\"user\":\"mori\","
		"\"specialty\":{\"operations_management\":\"guide_subordinates\"},"
		"\"develops_subordinates\":true,\"exams\":[\"AP\"]}",
		"{\"key\":\"sato\",\"name\":\"Sato Yui\",\"groups\":[\"service-desk\"],\"user\":\"sato\","
		"\"specialty\":{\"service_desk\":\"self\"}}",
		"{\"key\":\"watanabe\",\"name\":\"Watanabe Riku\",\"groups\":[\"operations\"],"
		"\"user\":\"watanabe\",\"specialty\":{\"operation\":\"self\"}}",
	};
	static const struct {
		const char *staff, *career;
	} careers[] = {
		{ "mori", "{\"field\":\"operations_management\",\"role\":\"member\",\"from\":\"2016-04-01\","
			  "\"to\":\"2019-03-31\",\"complexity\":[\"adv_ops_req\",\"structure\"],"
			  "\"title\":\"Data centre operations\"}" },
		{ "mori", "{\"field\":\"operations_management\",\"role\":\"leader\",\"from\":\"2019-04-01\","
			  "\"persons\":40,\"complexity\":[\"adv_ops_req\",\"structure\"],"
			  "\"title\":\"Operations team lead\"}" },
		{ "sato", "{\"field\":\"service_desk\",\"role\":\"member\",\"from\":\"2022-04-01\","
			  "\"complexity\":[\"adv_app_req\",\"structure\"],"
			  "\"responsibilities\":[\"manages_agreed_sl\"],\"title\":\"Service desk\"}" },
		{ "watanabe", "{\"field\":\"operation\",\"role\":\"member\",\"from\":\"2024-04-01\","
			      "\"complexity\":[\"complex_ops_system\",\"structure\"],"
			      "\"responsibilities\":[\"unscheduled_tasks\",\"improvement_proposals\"],"
			      "\"title\":\"Night operations\"}" },
	};
	json_t *out = NULL;
	int rc;

	for (size_t i = 0; i < sizeof(staff) / sizeof(staff[0]); i++)
		if ((rc = make(st, a, staff_add, staff[i], e)))
			return rc;
	for (size_t i = 0; i < sizeof(careers) / sizeof(careers[0]); i++) {
		json_t *in = json_loads(careers[i].career, 0, NULL);
		char id[24];

		rc = staff_career_add(st, a, careers[i].staff, in, &out, e);
		json_decref(in);
		if (rc)
			return rc;
		/* The first careers are verified by the manager; the last is
		 * left declared, so declared and verified levels differ. */
		snprintf(id, sizeof(id), "%lld",
			 (long long)json_integer_value(json_object_get(out, "id")));
		json_decref(out);
		out = NULL;
		if (i + 1 < sizeof(careers) / sizeof(careers[0]) &&
		    (rc = staff_career_verify(st, a, careers[i].staff, id, &out, e)))
			return rc;
		json_decref(out);
		out = NULL;
	}
	for (size_t i = 0; i < sizeof(staff) / sizeof(staff[0]); i++) {
		static const char *const keys[] = { "mori", "sato", "watanabe" };
		json_t *in = json_object();

		rc = staff_assess(st, a, keys[i], in, &out, e);
		json_decref(in);
		json_decref(out);
		out = NULL;
		if (rc)
			return rc;
	}
	return 0;
}

int demo_catalogue(struct store *st, const struct actor *a, int64_t now, struct err *e)
{
	int rc;

	for (size_t i = 0; i < sizeof(services) / sizeof(services[0]); i++)
		if ((rc = make(st, a, service_add, services[i], e)))
			return rc;
	if ((rc = make(st, a, sla_calendar_add, calendar, e)) || (rc = add_slas(st, a, e)) ||
	    (rc = add_inventory(st, a, e)) || (rc = add_outages(st, a, now, e)) ||
	    (rc = add_staff(st, a, e)))
		return rc;
	return 0;
}
