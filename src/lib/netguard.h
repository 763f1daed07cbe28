/*
 * netguard.h — may this process send a request to that URL? The one policy
 * for every outbound request itsm makes (SLA escalation webhooks today),
 * against server-side request forgery: staff who may type a URL must not
 * reach the host's own services, the cloud's metadata service or the
 * private network through the server.
 *
 * Invariants:
 *  - a URL is parsed once, by curl's URL API, and the very parse that was
 *    checked is the one curl requests (CURLOPT_CURLU): no second parser to
 *    disagree with the first;
 *  - only http and https; the host must be public — every address it
 *    resolves to a global unicast address — unless the allow-list
 *    (outbound.allow) names the host, the address or a network holding it;
 *  - what was checked is what is reached: the request is pinned to the
 *    address that was checked (CURLOPT_RESOLVE), a socket callback refuses
 *    any other, redirects are not followed and no proxy from the
 *    environment is used, so DNS rebinding cannot switch the target;
 *  - the allow-list is set once at start (netguard_allow_set), before any
 *    thread reads it.
 */
#ifndef ITSM_NETGUARD_H
#define ITSM_NETGUARD_H

#include <curl/curl.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "lib/err.h"

/* What an address is, by the IANA special-purpose registries. Only
 * NG_PUBLIC is reachable without the allow-list. */
enum ng_class {
	NG_PUBLIC,      /* global unicast */
	NG_LOOPBACK,    /* 127.0.0.0/8, ::1 */
	NG_PRIVATE,     /* 10/8, 172.16/12, 192.168/16, fc00::/7, fec0::/10, 64:ff9b:1::/48 */
	NG_LINK_LOCAL,  /* 169.254/16, fe80::/10 (the cloud metadata service lives here) */
	NG_CGNAT,       /* 100.64/10, shared address space */
	NG_MULTICAST,   /* 224/4, ff00::/8 */
	NG_UNSPECIFIED, /* 0.0.0.0/8 ("this network"; 0.0.0.0 reaches the host), :: */
	NG_BROADCAST,   /* 255.255.255.255 */
	NG_RESERVED,    /* the rest of the registries: 240/4, 192.0.0/24, documentation
			 * (192.0.2/24, 198.51.100/24, 203.0.113/24, 2001:db8::/32),
			 * benchmarking 198.18/15, 6to4 relay 192.88.99/24, IPv4-compatible
			 * ::/96, discard 100::/64, 2001::/23, anything outside 2000::/3 */
};

/* "public", "loopback", "private", "link-local", "shared (CGNAT)",
 * "multicast", "unspecified", "broadcast", "reserved". */
const char *netguard_class_name(enum ng_class c);

/* The class of an AF_INET or AF_INET6 address. An IPv6 address that carries
 * an IPv4 one — mapped ::ffff:0:0/96, NAT64 64:ff9b::/96, 6to4 2002::/16 — is
 * the class of the IPv4 address it carries (6to4 of a public one is public).
 * Any other family is NG_RESERVED. */
enum ng_class netguard_classify(const struct sockaddr *sa);
/* The same for an address in text, in any spelling getaddrinfo reads as
 * numeric (2130706433, 0x7f.1, ::ffff:127.0.0.1); -1 when it is not one. */
int netguard_classify_text(const char *ip, enum ng_class *c);

/*
 * Replace the allow-list with list (outbound.allow): entries separated by
 * commas, spaces around them ignored, each one of
 *   NAME, NAME:PORT          a host name as URLs write it (case does not
 *                            matter): every address it resolves to
 *   IP, IP:PORT, [IPv6]:PORT one address (an IPv4 one also as ::ffff:IP)
 *   IP/PREFIX                a network: 10.20.0.0/16, fd00::/8
 * A port limits the entry to URLs naming that port (80 and 443 when they
 * name none). "" empties the list. ERR_INVALID names the bad entry and
 * leaves the list as it was. Not thread-safe: call before threads start.
 */
int netguard_allow_set(const char *list, struct err *e);

/* Check a URL without resolving its host — what can be known when it is
 * defined: http or https, a host, no control characters or spaces, and a
 * literal address (in any spelling curl reads: 2130706433, 0x7f.1,
 * [::ffff:127.0.0.1], 0) or a localhost name that is not public and not
 * allowed is refused. Returns 0 or ERR_INVALID with why, e.g.
 * "'http://2130706433/' names 127.0.0.1, a loopback address". */
int netguard_url_check(const char *url, struct err *e);

/* A request's pinned target (netguard_prepare fills it; it must outlive
 * curl_easy_perform). */
struct netguard_pin {
	CURLU *url;                 /* the parse curl requests */
	struct curl_slist *resolve; /* "host:port:address", for a host name */
	struct sockaddr_storage addr; /* the one address curl may connect to */
	socklen_t addr_len;
	char address[64];           /* that address as text, for messages */
};

/*
 * Check url as netguard_url_check does, resolve its host, refuse it unless
 * every address is public or allowed, then set h up to reach the first of
 * them and nothing else: the URL as parsed here, that address pinned,
 * http(s) only, no redirects, no proxy, and a socket callback that refuses
 * to connect anywhere else. ERR_INVALID: refused (will not change by
 * retrying); ERR_BUSY: the name does not resolve now (retry later). Release
 * pin with netguard_pin_release after the request, whatever was returned.
 */
int netguard_prepare(CURL *h, const char *url, struct netguard_pin *pin, struct err *e);
void netguard_pin_release(struct netguard_pin *pin);

#endif
