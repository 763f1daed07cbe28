/*
 * outbox.c — the persistent outbox of escalation notices (see outbox.h).
 *
 * Delivery happens outside any write transaction and under a lock of its
 * own, so a slow or failing receiver delays only other notices, never a
 * ticket write; each result is then recorded in a short write of its own.
 */
#include "domain/platform/outbox.h"
#include "lib/jsonx.h"
#include "lib/log.h"
#include "lib/timeutil.h"
#include "store/store_sla.h"

#include <curl/curl.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/wait.h>

#define BACKOFF_FIRST 30
#define BACKOFF_MAX 3600
#define BATCH 32

static pthread_mutex_t deliver_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t curl_once = PTHREAD_ONCE_INIT;

static void curl_init_once(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
}

int outbox_queue(struct store_tx *tx, const char *target, const json_t *payload, int64_t now,
		 struct err *e)
{
	struct outbox_rec r = { 0 };
	int rc;

	r.target = (char *)target;
	r.payload = json_dumps(payload, JSON_COMPACT | JSON_SORT_KEYS);
	if (!r.payload)
		return err_set(e, ERR_INTERNAL, NULL, "out of memory");
	r.created_at = now;
	rc = tx->st->ops->sla->outbox_insert(tx, &r, e);
	free(r.payload);
	return rc;
}

static size_t discard(char *p, size_t size, size_t n, void *ctx)
{
	return size * n;
}

/* 0 when sent; else fills why. */
static int post_webhook(const char *url, const char *payload, char *why, size_t n)
{
	CURL *h;
	struct curl_slist *hdr = NULL;
	long status = 0;
	CURLcode rc;

	pthread_once(&curl_once, curl_init_once);
	if (!(h = curl_easy_init())) {
		snprintf(why, n, "cannot start an HTTP client");
		return -1;
	}
	hdr = curl_slist_append(hdr, "Content-Type: application/json");
	hdr = curl_slist_append(hdr, "User-Agent: itsm-sla");
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
	curl_easy_setopt(h, CURLOPT_POSTFIELDS, payload);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 3L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, 5L);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	rc = curl_easy_perform(h);
	if (rc == CURLE_OK)
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
	curl_slist_free_all(hdr);
	curl_easy_cleanup(h);
	if (rc != CURLE_OK) {
		snprintf(why, n, "%s", curl_easy_strerror(rc));
		return -1;
	}
	if (status < 200 || status > 299) {
		snprintf(why, n, "the receiver answered %ld", status);
		return -1;
	}
	return 0;
}

/* 0 sent, -1 failed (retry), 1 undeliverable (no retry). */
static int send_mail(const char *target, const char *payload, char *why, size_t n)
{
	const char *cmd = getenv("ITSM_SENDMAIL");
	FILE *p;
	int status;

	if (!cmd || !*cmd) {
		snprintf(why, n, "no mail command configured (set ITSM_SENDMAIL)");
		return 1;
	}
	if (!(p = popen(cmd, "w"))) {
		snprintf(why, n, "cannot run the mail command");
		return -1;
	}
	fprintf(p, "To: %s\nSubject: itsm service level notice\nContent-Type: application/json\n\n%s\n",
		target + 7, payload);
	status = pclose(p);
	if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status)) {
		snprintf(why, n, "the mail command failed (status %d)", status);
		return -1;
	}
	return 0;
}

static int do_set(struct store_tx *tx, void *arg, struct err *e)
{
	return tx->st->ops->sla->outbox_set(tx, arg, e);
}

int outbox_deliver(struct store *st, int64_t now, int64_t *sent, int64_t *failed,
		   struct err *e)
{
	int rc = 0;

	*sent = *failed = 0;
	pthread_mutex_lock(&deliver_mu);
	for (int round = 0; round < 16 && !rc; round++) {
		struct outbox_rec *v;
		size_t n;

		if ((rc = st->ops->sla->outbox_due(st, now, BATCH, &v, &n, e)))
			break;
		for (size_t i = 0; i < n && !rc; i++) {
			struct outbox_rec *r = &v[i];
			int res;

			r->last_error[0] = 0;
			res = strncmp(r->target, "mailto:", 7) ?
				      post_webhook(r->target, r->payload, r->last_error,
						   sizeof(r->last_error)) :
				      send_mail(r->target, r->payload, r->last_error,
						sizeof(r->last_error));
			r->attempts++;
			if (res == 0) {
				snprintf(r->state, sizeof(r->state), "sent");
				r->sent_at = now;
				(*sent)++;
			} else if (res > 0) {
				snprintf(r->state, sizeof(r->state), "undeliverable");
				(*failed)++;
			} else {
				int64_t wait = BACKOFF_FIRST;

				for (int64_t k = 1; k < r->attempts && wait < BACKOFF_MAX; k++)
					wait *= 2;
				if (wait > BACKOFF_MAX)
					wait = BACKOFF_MAX;
				r->next_at = now + wait;
				if (r->attempts >= OUTBOX_MAX_ATTEMPTS)
					snprintf(r->state, sizeof(r->state), "failed");
				(*failed)++;
			}
			log_info("msg=\"outbox\" id=%lld state=%s attempts=%lld err=%s",
				 (long long)r->id, LOG_STR(r->state), (long long)r->attempts,
				 LOG_STR(r->last_error));
			rc = store_write(st, do_set, r, e);
		}
		sla_free_outbox(v, n);
		if (n < BATCH)
			break;
	}
	pthread_mutex_unlock(&deliver_mu);
	return rc;
}

int outbox_list_json(struct store *st, const struct actor *a, const json_t *q, json_t **out,
		     struct err *e)
{
	const char *state = jx_qstr(q, "state");
	int64_t limit = 50;
	struct outbox_rec *v;
	size_t n;
	int rc;

	if (a->role != ROLE_ADMIN && a->role != ROLE_SYSTEM)
		return err_set(e, ERR_FORBIDDEN, NULL, "only admins read the outbox");
	if ((rc = jx_qint(q, "limit", 1, 500, &limit, e)) < 0)
		return rc;
	if ((rc = st->ops->sla->outbox_list(st, state, limit, &v, &n, e)))
		return rc;
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *j = json_object(), *p = json_loads(v[i].payload, 0, NULL);

		json_object_set_new(j, "id", json_integer(v[i].id));
		json_object_set_new(j, "target", json_string(v[i].target));
		json_object_set_new(j, "payload", p ? p : json_string(v[i].payload));
		json_object_set_new(j, "state", json_string(v[i].state));
		json_object_set_new(j, "attempts", json_integer(v[i].attempts));
		jx_set_time(j, "next_at", v[i].next_at);
		jx_set_str(j, "last_error", v[i].last_error[0] ? v[i].last_error : NULL);
		jx_set_time(j, "created_at", v[i].created_at);
		jx_set_time(j, "sent_at", v[i].sent_at);
		json_array_append_new(items, j);
	}
	sla_free_outbox(v, n);
	*out = json_pack("{s:o, s:n}", "items", items, "next_cursor");
	return 0;
}
