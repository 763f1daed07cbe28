/*
 * netguard.c — the outbound request policy (see netguard.h): an address
 * classifier over the IANA special-purpose registries, the admin's
 * allow-list, a URL check that needs no DNS, and the preparation of a curl
 * handle pinned to the one address that was checked.
 *
 * Invariants: an IPv4-mapped IPv6 address is compared and classified as the
 * IPv4 address it maps, so one entry or one rule covers both spellings;
 * every refusal says which address, and which class, it refused; the
 * allow-list is a fixed array written only by netguard_allow_set.
 */
#include "lib/netguard.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <netdb.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#define ALLOW_MAX 64
#define HOST_MAX 255
#define URL_MAX 2048

/* A normalized address: IPv4 (4 bytes) or IPv6 (16), never IPv4-mapped. */
struct ng_addr {
	int family;
	unsigned char b[16];
};

struct allow_entry {
	int is_name;
	char name[HOST_MAX + 1]; /* lowercase, no trailing dot */
	struct ng_addr net;
	int prefix;
	int port; /* 0: any */
};

static struct allow_entry allow[ALLOW_MAX];
static size_t n_allow;

static const char *const class_names[] = {
	[NG_PUBLIC] = "public",		[NG_LOOPBACK] = "loopback",
	[NG_PRIVATE] = "private",	[NG_LINK_LOCAL] = "link-local",
	[NG_CGNAT] = "shared (CGNAT)", [NG_MULTICAST] = "multicast",
	[NG_UNSPECIFIED] = "unspecified", [NG_BROADCAST] = "broadcast",
	[NG_RESERVED] = "reserved",
};

const char *netguard_class_name(enum ng_class c)
{
	return (unsigned)c < sizeof(class_names) / sizeof(class_names[0]) ? class_names[c] : "?";
}

/* ---- the classifier ---- */

static uint32_t be32(const unsigned char *b)
{
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

static int in4(uint32_t a, uint32_t net, int prefix)
{
	uint32_t mask = prefix ? ~(uint32_t)0 << (32 - prefix) : 0;

	return (a & mask) == net;
}

static enum ng_class classify4(uint32_t a)
{
	static const struct {
		uint32_t net;
		int prefix;
		enum ng_class c;
	} rules[] = {
		{ 0x00000000, 8, NG_UNSPECIFIED }, /* 0.0.0.0/8 */
		{ 0x7f000000, 8, NG_LOOPBACK },    /* 127.0.0.0/8 */
		{ 0x0a000000, 8, NG_PRIVATE },     /* 10.0.0.0/8 */
		{ 0xac100000, 12, NG_PRIVATE },    /* 172.16.0.0/12 */
		{ 0xc0a80000, 16, NG_PRIVATE },    /* 192.168.0.0/16 */
		{ 0x64400000, 10, NG_CGNAT },      /* 100.64.0.0/10 */
		{ 0xa9fe0000, 16, NG_LINK_LOCAL }, /* 169.254.0.0/16 */
		{ 0xe0000000, 4, NG_MULTICAST },   /* 224.0.0.0/4 */
		{ 0xffffffff, 32, NG_BROADCAST },  /* 255.255.255.255 */
		{ 0xf0000000, 4, NG_RESERVED },    /* 240.0.0.0/4 */
		{ 0xc0000000, 24, NG_RESERVED },   /* 192.0.0.0/24 IETF */
		{ 0xc0000200, 24, NG_RESERVED },   /* 192.0.2.0/24 TEST-NET-1 */
		{ 0xc6336400, 24, NG_RESERVED },   /* 198.51.100.0/24 TEST-NET-2 */
		{ 0xcb007100, 24, NG_RESERVED },   /* 203.0.113.0/24 TEST-NET-3 */
		{ 0xc6120000, 15, NG_RESERVED },   /* 198.18.0.0/15 benchmarking */
		{ 0xc0586300, 24, NG_RESERVED },   /* 192.88.99.0/24 6to4 relay */
	};

	for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++)
		if (in4(a, rules[i].net, rules[i].prefix))
			return rules[i].c;
	return NG_PUBLIC;
}

static int zero(const unsigned char *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (b[i])
			return 0;
	return 1;
}

static enum ng_class classify6(const unsigned char *b)
{
	static const unsigned char nat64[12] = { 0, 0x64, 0xff, 0x9b };
	static const unsigned char nat64_local[6] = { 0, 0x64, 0xff, 0x9b, 0, 1 };
	static const unsigned char discard[8] = { 1, 0 };

	if (zero(b, 16))
		return NG_UNSPECIFIED;
	if (zero(b, 15) && b[15] == 1)
		return NG_LOOPBACK;
	if (zero(b, 10) && b[10] == 0xff && b[11] == 0xff)
		return classify4(be32(b + 12)); /* ::ffff:0:0/96, mapped */
	if (!memcmp(b, nat64, 12))
		return classify4(be32(b + 12)); /* 64:ff9b::/96, NAT64 */
	if (!memcmp(b, nat64_local, 6))
		return NG_PRIVATE; /* 64:ff9b:1::/48, local-use NAT64 */
	if (b[0] == 0xff)
		return NG_MULTICAST; /* ff00::/8 */
	if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80)
		return NG_LINK_LOCAL; /* fe80::/10 */
	if (b[0] == 0xfe && (b[1] & 0xc0) == 0xc0)
		return NG_PRIVATE; /* fec0::/10, site-local (deprecated) */
	if ((b[0] & 0xfe) == 0xfc)
		return NG_PRIVATE; /* fc00::/7, unique local */
	if (b[0] == 0x20 && b[1] == 0x02)
		return classify4(be32(b + 2)); /* 2002::/16, 6to4 */
	if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8)
		return NG_RESERVED; /* 2001:db8::/32, documentation */
	if (b[0] == 0x3f && b[1] == 0xff && (b[2] & 0xf0) == 0)
		return NG_RESERVED; /* 3fff::/20, documentation */
	if (b[0] == 0x20 && b[1] == 0x01 && (b[2] & 0xfe) == 0)
		return NG_RESERVED; /* 2001::/23, IETF (Teredo, ORCHID, …) */
	if (!memcmp(b, discard, 8))
		return NG_RESERVED; /* 100::/64, discard */
	if ((b[0] & 0xe0) != 0x20)
		return NG_RESERVED; /* outside 2000::/3, global unicast (::/96 too) */
	return NG_PUBLIC;
}

/* sa as a normalized address; 0, or -1 for another family. */
static int to_addr(const struct sockaddr *sa, struct ng_addr *a)
{
	memset(a, 0, sizeof(*a));
	if (sa->sa_family == AF_INET) {
		a->family = AF_INET;
		memcpy(a->b, &((const struct sockaddr_in *)sa)->sin_addr, 4);
		return 0;
	}
	if (sa->sa_family != AF_INET6)
		return -1;
	memcpy(a->b, &((const struct sockaddr_in6 *)sa)->sin6_addr, 16);
	a->family = AF_INET6;
	if (zero(a->b, 10) && a->b[10] == 0xff && a->b[11] == 0xff) {
		memmove(a->b, a->b + 12, 4);
		memset(a->b + 4, 0, 12);
		a->family = AF_INET;
	}
	return 0;
}

static enum ng_class classify(const struct ng_addr *a)
{
	return a->family == AF_INET ? classify4(be32(a->b)) : classify6(a->b);
}

enum ng_class netguard_classify(const struct sockaddr *sa)
{
	struct ng_addr a;

	return to_addr(sa, &a) ? NG_RESERVED : classify(&a);
}

/* Parse a numeric host (getaddrinfo's AI_NUMERICHOST: inet_aton's spellings
 * for IPv4, inet_pton's for IPv6); 0 or -1. */
static int numeric(const char *s, struct ng_addr *a)
{
	struct addrinfo hints = { .ai_flags = AI_NUMERICHOST, .ai_socktype = SOCK_STREAM };
	struct addrinfo *res;
	int rc;

	if (getaddrinfo(s, NULL, &hints, &res))
		return -1;
	rc = to_addr(res->ai_addr, a);
	freeaddrinfo(res);
	return rc;
}

int netguard_classify_text(const char *ip, enum ng_class *c)
{
	struct ng_addr a;

	if (numeric(ip, &a))
		return -1;
	*c = classify(&a);
	return 0;
}

static void addr_text(const struct ng_addr *a, char *out, size_t n)
{
	if (!inet_ntop(a->family, a->b, out, (socklen_t)n))
		snprintf(out, n, "?");
}

/* ---- the allow-list ---- */

static int in_net(const struct ng_addr *a, const struct ng_addr *net, int prefix)
{
	int full = prefix / 8, rest = prefix % 8;

	if (a->family != net->family)
		return 0;
	if (memcmp(a->b, net->b, (size_t)full))
		return 0;
	return !rest || ((a->b[full] ^ net->b[full]) & (0xff << (8 - rest)) & 0xff) == 0;
}

static int port_ok(const struct allow_entry *x, int port)
{
	return !x->port || x->port == port;
}

static int allowed_addr(const struct ng_addr *a, int port)
{
	for (size_t i = 0; i < n_allow; i++)
		if (!allow[i].is_name && port_ok(&allow[i], port) &&
		    in_net(a, &allow[i].net, allow[i].prefix))
			return 1;
	return 0;
}

static int allowed_name(const char *host, int port)
{
	for (size_t i = 0; i < n_allow; i++)
		if (allow[i].is_name && port_ok(&allow[i], port) && !strcmp(allow[i].name, host))
			return 1;
	return 0;
}

static int parse_port(const char *s, int *port)
{
	char *end;
	long v;

	if (!isdigit((unsigned char)*s))
		return -1;
	v = strtol(s, &end, 10);
	if (*end || v < 1 || v > 65535)
		return -1;
	*port = (int)v;
	return 0;
}

/* A host name as allow-list entries and URLs are compared: lowercase, no
 * trailing dot; letters, digits, '-', '.' and '_' only. */
static int norm_name(const char *s, size_t len, char *out)
{
	if (len && s[len - 1] == '.')
		len--;
	if (!len || len > HOST_MAX)
		return -1;
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (!isalnum(ch) && ch != '-' && ch != '.' && ch != '_')
			return -1;
		out[i] = (char)tolower(ch);
	}
	out[len] = '\0';
	return 0;
}

/* A strict address (inet_pton: the allow-list is read by people, so only
 * the usual spellings). */
static int strict_addr(const char *s, struct ng_addr *a)
{
	struct sockaddr_in6 s6 = { .sin6_family = AF_INET6 };

	memset(a, 0, sizeof(*a));
	if (inet_pton(AF_INET, s, a->b) == 1) {
		a->family = AF_INET;
		return 0;
	}
	if (inet_pton(AF_INET6, s, &s6.sin6_addr) == 1)
		return to_addr((struct sockaddr *)&s6, a);
	return -1;
}

static int parse_entry(const char *s, struct allow_entry *x)
{
	char tmp[HOST_MAX + 16];
	const char *slash = strchr(s, '/'), *colon;
	char *end;

	memset(x, 0, sizeof(*x));
	if (strlen(s) >= sizeof(tmp))
		return -1;
	snprintf(tmp, sizeof(tmp), "%s", s);
	if (slash) { /* IP/PREFIX */
		long p;

		tmp[slash - s] = '\0';
		if (strict_addr(tmp, &x->net))
			return -1;
		p = strtol(slash + 1, &end, 10);
		if (!isdigit((unsigned char)slash[1]) || *end || p < 0 ||
		    p > (x->net.family == AF_INET ? 32 : 128))
			return -1;
		x->prefix = (int)p;
		return 0;
	}
	if (tmp[0] == '[') { /* [IPv6] or [IPv6]:PORT */
		char *close = strchr(tmp, ']');

		if (!close || (close[1] && (close[1] != ':' || parse_port(close + 2, &x->port))))
			return -1;
		*close = '\0';
		if (!strchr(tmp + 1, ':') || strict_addr(tmp + 1, &x->net))
			return -1;
		x->prefix = x->net.family == AF_INET ? 32 : 128;
		return 0;
	}
	if (!strict_addr(tmp, &x->net)) { /* IP (an IPv6 one has colons of its own) */
		x->prefix = x->net.family == AF_INET ? 32 : 128;
		return 0;
	}
	if ((colon = strrchr(tmp, ':'))) { /* NAME:PORT or IPv4:PORT */
		if (parse_port(colon + 1, &x->port))
			return -1;
		tmp[colon - tmp] = '\0';
		if (!strict_addr(tmp, &x->net)) {
			if (x->net.family != AF_INET)
				return -1;
			x->prefix = 32;
			return 0;
		}
	}
	x->is_name = 1;
	return norm_name(tmp, strlen(tmp), x->name);
}

int netguard_allow_set(const char *list, struct err *e)
{
	struct allow_entry next[ALLOW_MAX];
	size_t n = 0;
	const char *p = list ? list : "";

	while (*p) {
		size_t len = strcspn(p, ",");
		char one[HOST_MAX + 16];
		const char *a = p, *b = p + len;

		while (a < b && isspace((unsigned char)*a))
			a++;
		while (b > a && isspace((unsigned char)b[-1]))
			b--;
		p += len + (p[len] == ',');
		if (a == b)
			continue;
		if (n == ALLOW_MAX)
			return err_set(e, ERR_INVALID, "outbound.allow",
				       "outbound.allow holds more than %d entries", ALLOW_MAX);
		snprintf(one, sizeof(one), "%.*s", (int)(b - a), a);
		if ((size_t)(b - a) >= sizeof(one) - 1 || parse_entry(one, &next[n]))
			return err_set(e, ERR_INVALID, "outbound.allow",
				       "malformed outbound.allow entry '%.*s' (want NAME[:PORT], "
				       "IP[:PORT], [IPv6]:PORT or IP/PREFIX)",
				       (int)(b - a > 80 ? 80 : b - a), a);
		n++;
	}
	memcpy(allow, next, n * sizeof(next[0]));
	n_allow = n;
	return 0;
}

/* ---- URLs ---- */

struct target {
	CURLU *u;
	char host[HOST_MAX + 1]; /* lowercase, no brackets, no trailing dot */
	int port;
	int literal; /* host is an address: addr */
	struct ng_addr addr;
};

static void target_release(struct target *t)
{
	curl_url_cleanup(t->u);
	t->u = NULL;
}

static int is_localhost(const char *host)
{
	size_t n = strlen(host);

	return !strcmp(host, "localhost") ||
	       (n > 10 && !strcmp(host + n - 10, ".localhost"));
}

/* Parse and check what needs no DNS. */
static int parse_target(const char *url, struct target *t, struct err *e)
{
	char *scheme = NULL, *host = NULL, *port = NULL;
	CURLUcode uc;
	int rc = ERR_INVALID;
	size_t hl;

	memset(t, 0, sizeof(*t));
	if (strlen(url) > URL_MAX)
		return err_set(e, ERR_INVALID, NULL, "the URL is longer than %d bytes", URL_MAX);
	for (const char *c = url; *c; c++)
		if ((unsigned char)*c <= 0x20 || *c == 0x7f)
			return err_set(e, ERR_INVALID, NULL,
				       "the URL holds a control character or a space (0x%02x)",
				       (unsigned char)*c);
	if (!(t->u = curl_url()))
		return err_set(e, ERR_INTERNAL, NULL, "out of memory");
	if ((uc = curl_url_set(t->u, CURLUPART_URL, url, 0))) {
		err_set(e, ERR_INVALID, NULL, "malformed URL '%.100s': %s", url,
			curl_url_strerror(uc));
		goto out;
	}
	if (curl_url_get(t->u, CURLUPART_SCHEME, &scheme, 0) ||
	    (strcmp(scheme, "http") && strcmp(scheme, "https"))) {
		err_set(e, ERR_INVALID, NULL, "'%.100s' is not an http:// or https:// URL", url);
		goto out;
	}
	if ((uc = curl_url_get(t->u, CURLUPART_HOST, &host, CURLU_PUNYCODE)) || !*host) {
		err_set(e, ERR_INVALID, NULL, "'%.100s' names no host it can reach%s%s", url,
			uc ? ": " : "", uc ? curl_url_strerror(uc) : "");
		goto out;
	}
	if (curl_url_get(t->u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) ||
	    parse_port(port, &t->port)) {
		err_set(e, ERR_INVALID, NULL, "'%.100s' names no valid port", url);
		goto out;
	}
	hl = strlen(host);
	if (host[0] == '[' && hl > 2 && host[hl - 1] == ']') {
		snprintf(t->host, sizeof(t->host), "%.*s", (int)(hl - 2), host + 1);
	} else if (norm_name(host, hl, t->host)) {
		err_set(e, ERR_INVALID, NULL, "'%.100s' names a malformed host", url);
		goto out;
	}
	t->literal = !numeric(t->host, &t->addr);
	if (t->literal) {
		enum ng_class c = classify(&t->addr);
		char at[64];

		addr_text(&t->addr, at, sizeof(at));
		if (c != NG_PUBLIC && !allowed_addr(&t->addr, t->port)) {
			err_set(e, ERR_INVALID, NULL,
				"'%.100s' names %s, a%s %s address (outbound.allow may allow it)",
				url, at, c == NG_UNSPECIFIED ? "n" : "", netguard_class_name(c));
			goto out;
		}
	} else if (is_localhost(t->host) && !allowed_name(t->host, t->port)) {
		err_set(e, ERR_INVALID, NULL,
			"'%.100s' names %s, a loopback address (outbound.allow may allow it)", url,
			t->host);
		goto out;
	}
	rc = 0;
out:
	curl_free(scheme);
	curl_free(host);
	curl_free(port);
	if (rc)
		target_release(t);
	return rc;
}

int netguard_url_check(const char *url, struct err *e)
{
	struct target t;
	int rc = parse_target(url, &t, e);

	target_release(&t);
	return rc;
}

/* curl's socket factory: only the pinned address may be connected to. */
static curl_socket_t open_pinned(void *ctx, curlsocktype purpose, struct curl_sockaddr *sa)
{
	const struct netguard_pin *pin = ctx;
	struct ng_addr want, got;
	int want_port, got_port;

	if (to_addr((const struct sockaddr *)&pin->addr, &want) || to_addr(&sa->addr, &got))
		return CURL_SOCKET_BAD;
	want_port = ntohs(pin->addr.ss_family == AF_INET ?
				  ((const struct sockaddr_in *)&pin->addr)->sin_port :
				  ((const struct sockaddr_in6 *)&pin->addr)->sin6_port);
	got_port = ntohs(sa->addr.sa_family == AF_INET ?
				 ((const struct sockaddr_in *)&sa->addr)->sin_port :
				 ((const struct sockaddr_in6 *)&sa->addr)->sin6_port);
	if (want.family != got.family || memcmp(want.b, got.b, 16) || want_port != got_port)
		return CURL_SOCKET_BAD;
	return socket(sa->family, sa->socktype | SOCK_CLOEXEC, sa->protocol);
}

/* Pin sa (AF_INET or AF_INET6) with port; its text as the family spells it. */
static void pin_address(struct netguard_pin *pin, const struct sockaddr *sa, socklen_t len,
			int port)
{
	const void *raw;

	memcpy(&pin->addr, sa, len);
	pin->addr_len = len;
	if (sa->sa_family == AF_INET) {
		((struct sockaddr_in *)&pin->addr)->sin_port = htons((uint16_t)port);
		raw = &((struct sockaddr_in *)&pin->addr)->sin_addr;
	} else {
		((struct sockaddr_in6 *)&pin->addr)->sin6_port = htons((uint16_t)port);
		raw = &((struct sockaddr_in6 *)&pin->addr)->sin6_addr;
	}
	if (!inet_ntop(sa->sa_family, raw, pin->address, sizeof(pin->address)))
		snprintf(pin->address, sizeof(pin->address), "?");
}

/* The same for a literal address of a URL. */
static void pin_literal(struct netguard_pin *pin, const struct ng_addr *a, int port)
{
	struct sockaddr_storage ss = { 0 };
	socklen_t len;

	if (a->family == AF_INET) {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;

		s4->sin_family = AF_INET;
		memcpy(&s4->sin_addr, a->b, 4);
		len = sizeof(*s4);
	} else {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;

		s6->sin6_family = AF_INET6;
		memcpy(&s6->sin6_addr, a->b, 16);
		len = sizeof(*s6);
	}
	pin_address(pin, (struct sockaddr *)&ss, len, port);
}

/* Resolve t's host; refuse it unless every address is public or allowed;
 * pin the first. */
static int resolve_pin(const char *url, const struct target *t, struct netguard_pin *pin,
		       struct err *e)
{
	struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM };
	struct addrinfo *res, *ai;
	char service[8], entry[HOST_MAX + 80];
	int name_ok = allowed_name(t->host, t->port), g;

	snprintf(service, sizeof(service), "%d", t->port);
	if ((g = getaddrinfo(t->host, service, &hints, &res)))
		return err_set(e, ERR_BUSY, NULL, "cannot resolve '%s': %s", t->host,
			       gai_strerror(g));
	for (ai = res; ai; ai = ai->ai_next) {
		struct ng_addr a;
		enum ng_class c;
		char at[64];

		if (to_addr(ai->ai_addr, &a))
			continue;
		c = classify(&a);
		if (c == NG_PUBLIC || name_ok || allowed_addr(&a, t->port))
			continue;
		addr_text(&a, at, sizeof(at));
		freeaddrinfo(res);
		return err_set(e, ERR_INVALID, NULL,
			       "'%.100s': '%s' resolves to %s, a%s %s address (outbound.allow "
			       "may allow it)",
			       url, t->host, at, c == NG_UNSPECIFIED ? "n" : "",
			       netguard_class_name(c));
	}
	for (ai = res; ai && ai->ai_family != AF_INET && ai->ai_family != AF_INET6;)
		ai = ai->ai_next;
	if (!ai) {
		freeaddrinfo(res);
		return err_set(e, ERR_BUSY, NULL, "'%s' has no IPv4 or IPv6 address", t->host);
	}
	pin_address(pin, ai->ai_addr, ai->ai_addrlen, t->port);
	freeaddrinfo(res);
	snprintf(entry, sizeof(entry), pin->addr.ss_family == AF_INET6 ? "%s:%d:[%s]" : "%s:%d:%s",
		 t->host, t->port, pin->address);
	if (!(pin->resolve = curl_slist_append(NULL, entry)))
		return err_set(e, ERR_INTERNAL, NULL, "out of memory");
	return 0;
}

int netguard_prepare(CURL *h, const char *url, struct netguard_pin *pin, struct err *e)
{
	struct target t;
	int rc;

	memset(pin, 0, sizeof(*pin));
	if ((rc = parse_target(url, &t, e)))
		return rc;
	if (t.literal)
		pin_literal(pin, &t.addr, t.port);
	else if ((rc = resolve_pin(url, &t, pin, e))) {
		target_release(&t);
		return rc;
	}
	pin->url = t.u; /* the parse that was checked is the one requested */
	t.u = NULL;
	if (curl_easy_setopt(h, CURLOPT_CURLU, pin->url) ||
	    (pin->resolve && curl_easy_setopt(h, CURLOPT_RESOLVE, pin->resolve)) ||
	    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https") ||
	    curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https") ||
	    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L) ||
	    curl_easy_setopt(h, CURLOPT_MAXREDIRS, 0L) ||
	    curl_easy_setopt(h, CURLOPT_PROXY, "") ||
	    curl_easy_setopt(h, CURLOPT_OPENSOCKETFUNCTION, open_pinned) ||
	    curl_easy_setopt(h, CURLOPT_OPENSOCKETDATA, pin))
		return err_set(e, ERR_INTERNAL, NULL, "cannot set up the HTTP client");
	return 0;
}

void netguard_pin_release(struct netguard_pin *pin)
{
	curl_url_cleanup(pin->url);
	curl_slist_free_all(pin->resolve);
	memset(pin, 0, sizeof(*pin));
}
