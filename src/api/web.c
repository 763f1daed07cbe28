/*
 * web.c — the web console's files: embedded in the binary (or read from
 * --web-dir during development), served with the security headers every
 * page carries. Unknown paths under the console fall back to index.html so
 * the console's own router can show them. Documents the console links to
 * (the service level report) are served with the same headers by
 * web_reply_page; the only thing their policy may add is the hash of one
 * inline stylesheet.
 */
#include "api/handlers.h"
#include "lib/embedded.h"
#include "lib/file.h"

/* The largest file the console is served from disk (development). */
#define WEB_FILE_MAX (16u << 20)

#include <microhttpd.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The console's Content-Security-Policy, cut where a page's style-src
 * sources go. */
#define CSP_HEAD "default-src 'self'; script-src 'self'; style-src 'self'"
#define CSP_TAIL                                                                                   \
	"; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; "   \
	"form-action 'self'"

/* One 200 response with the security headers; disposition may be NULL. */
static void send_doc(struct req *r, const char *type, const char *csp, const char *cache,
		     const char *disposition, const void *data, size_t len, int copy)
{
	struct MHD_Response *resp;

	r->replied = 1;
	r->status = 200;
	resp = MHD_create_response_from_buffer(len, (void *)data,
					       copy ? MHD_RESPMEM_MUST_COPY : MHD_RESPMEM_PERSISTENT);
	if (!resp)
		return;
	MHD_add_response_header(resp, "Content-Type", type);
	MHD_add_response_header(resp, "Content-Security-Policy", csp);
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	MHD_add_response_header(resp, "Cache-Control", cache);
	if (disposition)
		MHD_add_response_header(resp, "Content-Disposition", disposition);
	MHD_queue_response(r->conn, 200, resp);
	MHD_destroy_response(resp);
}

static void send_file(struct req *r, const char *type, const void *data, size_t len, int copy)
{
	send_doc(r, type, CSP_HEAD CSP_TAIL, "no-cache", NULL, data, len, copy);
}

void web_reply_page(struct req *r, const char *type, const char *inline_style,
		    const char *disposition, const void *data, size_t len)
{
	unsigned char h[crypto_hash_sha256_BYTES];
	char b64[sodium_base64_ENCODED_LEN(crypto_hash_sha256_BYTES,
					   sodium_base64_VARIANT_ORIGINAL)];
	char csp[sizeof(CSP_HEAD CSP_TAIL) + sizeof(b64) + 16];

	if (r->replied)
		return;
	if (inline_style) {
		crypto_hash_sha256(h, (const unsigned char *)inline_style, strlen(inline_style));
		sodium_bin2base64(b64, sizeof(b64), h, sizeof(h), sodium_base64_VARIANT_ORIGINAL);
		snprintf(csp, sizeof(csp), "%s 'sha256-%s'%s", CSP_HEAD, b64, CSP_TAIL);
	} else {
		snprintf(csp, sizeof(csp), "%s", CSP_HEAD CSP_TAIL);
	}
	send_doc(r, type, csp, "no-store", disposition, data, len, 1);
}

static const char *type_of(const char *path)
{
	const char *dot = strrchr(path, '.');

	if (!dot)
		return "application/octet-stream";
	if (!strcmp(dot, ".html"))
		return "text/html; charset=utf-8";
	if (!strcmp(dot, ".js"))
		return "text/javascript; charset=utf-8";
	if (!strcmp(dot, ".css"))
		return "text/css; charset=utf-8";
	if (!strcmp(dot, ".svg"))
		return "image/svg+xml";
	if (!strcmp(dot, ".json"))
		return "application/json";
	return "application/octet-stream";
}

static int from_disk(struct req *r, const char *path)
{
	char full[1024], *data;
	size_t len;
	struct err e;

	if (strstr(path, ".."))
		return 0;
	snprintf(full, sizeof(full), "%s%s", r->web_dir, path);
	if (file_read(full, WEB_FILE_MAX, &data, &len, &e))
		return 0;
	send_file(r, type_of(path), data, len, 1);
	free(data);
	return 1;
}

void web_serve(struct req *r)
{
	const char *path = r->path;
	const struct embedded *f;

	if (strcmp(r->method, "GET") && strcmp(r->method, "HEAD")) {
		reply_errorf(r, ERR_NOT_FOUND, NULL, "no such resource '%s'", r->path);
		return;
	}
	if (!strcmp(path, "/"))
		path = "/index.html";
	if (r->web_dir[0]) {
		if (from_disk(r, path) || (!strchr(path + 1, '.') && from_disk(r, "/index.html")))
			return;
	} else {
		f = embedded_find(web_files, path);
		if (!f && !strchr(strrchr(path, '/'), '.'))
			f = embedded_find(web_files, "/index.html");
		if (f) {
			send_file(r, f->type, f->data, f->len, 0);
			return;
		}
	}
	reply_errorf(r, ERR_NOT_FOUND, NULL, "no such page '%s'", r->path);
}
