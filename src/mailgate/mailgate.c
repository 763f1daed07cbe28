/*
 * mailgate.c — itsm-mailgate: one e-mail on standard input handed to a
 * running itsm server's POST /api/v1/mail/inbound, for an MTA alias or pipe
 * (the rt-mailgate convention):
 *
 *   support: "|/usr/bin/itsm-mailgate --url http://127.0.0.1:8080
 *              --token-file /etc/itsm/mailgate.token --queue support"
 *
 * Why a program of its own: `itsm mail receive` writes to the store itself,
 * so it links every library the server does (64 shared objects with
 * libcurl's, libpq's and GMime's); starting it costs about 20 ms of CPU,
 * most of it in the dynamic loader, which holds a pipe to about a hundred
 * messages a second on two cores. This program links libc and jansson, and
 * the server that parses and stores the message is already running.
 *
 * The exit status is what the MTA acts on (sysexits(3), docs/mail.md):
 *   0   the server stored it (created, commented, ignored, duplicate): 200
 *   65  EX_DATAERR, refused for good, the server's reason on stderr: 400,
 *       403 (a recorded refusal), 413, 415 — the MTA bounces it
 *   75  EX_TEMPFAIL, anything that may pass later: no connection, a
 *       timeout, 5xx, 429, 401 (a wrong token is the admin's mistake; the
 *       mail waits in the MTA's queue until it is mended), a token file that
 *       cannot be read, a reply that is not HTTP
 *   64  EX_USAGE: the command line is wrong
 *
 * Plain http:// only: the gate talks to a server on the same machine or the
 * same network; a server elsewhere is reached with `itsm mail receive` or
 * over a TLS proxy. The URL is the admin's configuration, not user input.
 * Nothing here runs a shell; the token never reaches a log or stderr.
 */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#define EX_OK 0
#define EX_USAGE 64
#define EX_DATAERR 65
#define EX_TEMPFAIL 75

#define MAX_MESSAGE_DEFAULT (64L << 20) /* the server's own limit answers 413 first */
#define MAX_REPLY (64 << 10)
#define TOKEN_MAX 256
#define EXPECT_ABOVE (1 << 20)  /* bytes: a larger message asks before it is sent */
#define EXPECT_WAIT_MS 2000     /* how long it waits for "100 Continue" */

struct buf {
	char *data;
	size_t len, cap;
};

static const char *prog = "itsm-mailgate";

static void say(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static int buf_grow(struct buf *b, size_t need)
{
	size_t cap = b->cap ? b->cap : 65536;
	char *p;

	if (need <= b->cap)
		return 0;
	while (cap < need)
		cap *= 2;
	if (!(p = realloc(b->data, cap)))
		return -1;
	b->data = p;
	b->cap = cap;
	return 0;
}

/* Reads all of fd, at most max bytes; 1 when there was more. */
static int read_all(int fd, struct buf *b, size_t max)
{
	for (;;) {
		ssize_t n;

		if (buf_grow(b, b->len + 65536) < 0)
			return -1;
		n = read(fd, b->data + b->len, b->cap - b->len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			return 0;
		b->len += (size_t)n;
		if (b->len > max)
			return 1;
	}
}

/* http://host[:port][/prefix] into its parts; the prefix has no trailing
 * '/'. Refuses userinfo, a query, a fragment and bytes a request line or a
 * Host header could not carry. */
static int parse_url(const char *url, char *host, size_t hostsz, char *port, size_t portsz,
		     char *prefix, size_t prefixsz)
{
	const char *p, *hs, *he, *ps = NULL, *pe;
	size_t i;

	if (strncmp(url, "http://", 7))
		return -1;
	for (i = 0; url[i]; i++)
		if ((unsigned char)url[i] <= ' ' || (unsigned char)url[i] >= 0x7f ||
		    strchr("@?#\\\"", url[i]))
			return -1;
	p = url + 7;
	if (*p == '[') {
		hs = p + 1;
		if (!(he = strchr(hs, ']')))
			return -1;
		p = he + 1;
	} else {
		hs = p;
		he = p + strcspn(p, ":/");
		p = he;
	}
	if (he == hs || (size_t)(he - hs) >= hostsz)
		return -1;
	memcpy(host, hs, (size_t)(he - hs));
	host[he - hs] = 0;
	if (*p == ':') {
		ps = ++p;
		pe = p + strspn(p, "0123456789");
		if (pe == ps || pe - ps > 5 || (*pe && *pe != '/'))
			return -1;
		p = pe;
	}
	snprintf(port, portsz, "%.*s", ps ? (int)(p - ps) : 2, ps ? ps : "80");
	if (ps && (atoi(port) < 1 || atoi(port) > 65535))
		return -1;
	if (*p && *p != '/')
		return -1;
	i = strlen(p);
	while (i && p[i - 1] == '/')
		i--;
	if (i >= prefixsz)
		return -1;
	memcpy(prefix, p, i);
	prefix[i] = 0;
	return 0;
}

/* The token: the file's first line, its surrounding blanks cut. */
static int read_token(const char *path, char *tok, size_t toksz)
{
	struct buf b = { 0 };
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t s = 0, e, i;
	int rc;

	if (fd < 0)
		return -1;
	rc = read_all(fd, &b, 4096);
	close(fd);
	if (rc) {
		free(b.data);
		return -1;
	}
	while (s < b.len && (b.data[s] == ' ' || b.data[s] == '\t'))
		s++;
	e = s;
	while (e < b.len && b.data[e] != '\n' && b.data[e] != '\r')
		e++;
	while (e > s && (b.data[e - 1] == ' ' || b.data[e - 1] == '\t'))
		e--;
	rc = e > s && e - s < toksz ? 0 : -1;
	for (i = s; !rc && i < e; i++)
		if ((unsigned char)b.data[i] <= ' ' || (unsigned char)b.data[i] >= 0x7f)
			rc = -1; /* a token is printable ASCII: nothing to smuggle */
	if (!rc) {
		memcpy(tok, b.data + s, e - s);
		tok[e - s] = 0;
	}
	free(b.data);
	return rc;
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Waits for fd to be ready for ev until the deadline; 0 ready, -1 not. */
static int wait_fd(int fd, short ev, int64_t deadline)
{
	for (;;) {
		struct pollfd p = { .fd = fd, .events = ev };
		int64_t left = deadline - now_ms();
		int n;

		if (left <= 0)
			return -1;
		n = poll(&p, 1, (int)(left > 60000 ? 60000 : left));
		if (n > 0)
			return 0;
		if (n < 0 && errno != EINTR)
			return -1;
	}
}

static int connect_to(const char *host, const char *port, int64_t deadline)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM, .ai_flags = AI_ADDRCONFIG };
	struct addrinfo *res, *ai;
	int fd = -1, rc;

	if ((rc = getaddrinfo(host, port, &hints, &res))) {
		say("cannot resolve %s: %s", host, gai_strerror(rc));
		return -1;
	}
	for (ai = res; ai; ai = ai->ai_next) {
		int err = 0;
		socklen_t len = sizeof(err);

		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK,
			    ai->ai_protocol);
		if (fd < 0)
			continue;
		if (!connect(fd, ai->ai_addr, ai->ai_addrlen))
			break;
		if (errno == EINPROGRESS && !wait_fd(fd, POLLOUT, deadline) &&
		    !getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) && !err)
			break;
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	if (fd < 0)
		say("cannot connect to %s port %s", host, port);
	return fd;
}

static int send_all(int fd, const char *p, size_t n, int64_t deadline)
{
	while (n) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			if (wait_fd(fd, POLLOUT, deadline))
				return -1;
			continue;
		}
		if (w < 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Reads the reply until the server closes (Connection: close), or — with
 * until_head — until the end of the first header block; NUL-terminated. */
static int recv_reply(int fd, struct buf *b, int64_t deadline, int until_head)
{
	for (;;) {
		size_t room;
		ssize_t n;

		if (buf_grow(b, b->len + 4096 + 1) < 0)
			return -1;
		b->data[b->len] = 0;
		if (b->len >= MAX_REPLY || (until_head && strstr(b->data, "\r\n\r\n")))
			return 0; /* enough to read a status and a message */
		room = b->cap - b->len - 1;
		if (room > MAX_REPLY - b->len)
			room = MAX_REPLY - b->len;
		n = recv(fd, b->data + b->len, room, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			if (wait_fd(fd, POLLIN, deadline))
				return -1;
			continue;
		}
		if (n < 0)
			return -1;
		if (n == 0) {
			b->data[b->len] = 0;
			return 0;
		}
		b->len += (size_t)n;
	}
}

/* A server's text on one line of stderr: controls shown as '?'. */
static void print_clean(FILE *f, const char *s)
{
	for (; *s; s++)
		fputc((unsigned char)*s < ' ' || *s == 0x7f ? '?' : *s, f);
}

/* Maps the reply to the exit status, saying what happened. */
static int conclude(const struct buf *reply)
{
	const char *body, *msg;
	json_t *j = NULL, *err;
	int status, permanent, rc;

	if (reply->len < 12 || strncmp(reply->data, "HTTP/1.", 7) ||
	    sscanf(reply->data + 9, "%3d", &status) != 1) {
		say("the server's reply is not HTTP: will retry");
		return EX_TEMPFAIL;
	}
	body = strstr(reply->data, "\r\n\r\n");
	if (body)
		j = json_loads(body + 4, JSON_DISABLE_EOF_CHECK, NULL);
	if (status == 200) {
		/* The lines `itsm mail receive` prints. */
		const char *outcome = json_string_value(json_object_get(j, "outcome"));
		const char *ticket = json_string_value(json_object_get(j, "ticket"));
		long long id = (long long)json_integer_value(json_object_get(j, "id"));

		if (json_is_true(json_object_get(j, "duplicate")))
			printf("duplicate %lld\n", id);
		else
			printf("%s %lld%s%s\n", outcome ? outcome : "stored", id, ticket ? " " : "",
			       ticket ? ticket : "");
		if (outcome && !strcmp(outcome, "ignored")) {
			fprintf(stderr, "%s: ignored: ", prog);
			print_clean(stderr, json_string_value(json_object_get(j, "reason"))
						    ? json_string_value(json_object_get(j, "reason"))
						    : "");
			fputc('\n', stderr);
		}
		json_decref(j);
		return EX_OK;
	}
	err = json_object_get(j, "error");
	msg = json_string_value(json_object_get(err, "message"));
	/* A 403 is a recorded refusal of this message (the error names the
	 * stored "mail", docs/mail.md) or a token that may not deliver: the
	 * admin's mistake, which the MTA should wait out rather than bounce. */
	permanent = status == 400 || status == 413 || status == 415 ||
		    (status == 403 && json_object_get(err, "mail"));
	fprintf(stderr, "%s: %s (%d): ", prog, permanent ? "refused" : "will retry", status);
	print_clean(stderr, msg ? msg : "no message");
	fputc('\n', stderr);
	rc = permanent ? EX_DATAERR : EX_TEMPFAIL;
	json_decref(j);
	return rc;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: %s --url http://HOST[:PORT] --token-file FILE [--queue NAME]\n"
		"                     [--timeout SECONDS] [--max-size BYTES]\n"
		"one message on standard input; exits 0 stored, 65 refused, 75 try later\n",
		prog);
}

int main(int argc, char **argv)
{
	const char *url = NULL, *token_file = NULL, *queue = NULL;
	char host[256], port[8], prefix[512], token[TOKEN_MAX], q[64 + 16] = "";
	long timeout = 60, max = MAX_MESSAGE_DEFAULT;
	struct buf msg = { 0 }, reply = { 0 };
	char *head;
	int64_t deadline;
	int fd, rc, i, n, expect;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		char *end;

		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage();
			return EX_OK;
		}
		if (!v) {
			say("%s needs a value", a);
			usage();
			return EX_USAGE;
		}
		i++;
		if (!strcmp(a, "--url")) {
			url = v;
		} else if (!strcmp(a, "--token-file")) {
			token_file = v;
		} else if (!strcmp(a, "--queue")) {
			queue = v;
		} else if (!strcmp(a, "--timeout") || !strcmp(a, "--max-size")) {
			long x = strtol(v, &end, 10);

			if (*end || x <= 0 || (a[2] == 't' && x > 3600)) {
				say("%s takes a positive number%s", a,
				    a[2] == 't' ? " of seconds up to 3600" : " of bytes");
				return EX_USAGE;
			}
			*(a[2] == 't' ? &timeout : &max) = x;
		} else {
			say("unknown option %s", a);
			usage();
			return EX_USAGE;
		}
	}
	if (!url || !token_file) {
		usage();
		return EX_USAGE;
	}
	if (parse_url(url, host, sizeof(host), port, sizeof(port), prefix, sizeof(prefix))) {
		say("--url takes http://HOST[:PORT][/PATH] (plain http, no user, query or fragment)");
		return EX_USAGE;
	}
	if (queue) {
		/* The server's shape for a queue (letters, digits, "._-"): a name
		 * it would refuse is the command line's mistake, not the mail's. */
		size_t k = strlen(queue);

		if (!k || k > 64 || strspn(queue, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
						  "0123456789._-") != k) {
			say("--queue takes 1 to 64 letters, digits, '.', '_' or '-'");
			return EX_USAGE;
		}
		snprintf(q, sizeof(q), "?queue=%s", queue);
	}
	if (read_token(token_file, token, sizeof(token))) {
		/* Temporary: the mail waits while the admin mends the file. */
		say("cannot read a token from %s: will retry", token_file);
		return EX_TEMPFAIL;
	}
	rc = read_all(STDIN_FILENO, &msg, (size_t)max);
	if (rc < 0)
		say("cannot read the message: %s", strerror(errno));
	else if (rc > 0)
		say("refused: the message is over %ld bytes", max);
	else if (!msg.len)
		say("refused: standard input held no message");
	if (rc || !msg.len) {
		free(msg.data);
		return rc < 0 ? EX_TEMPFAIL : EX_DATAERR;
	}
	signal(SIGPIPE, SIG_IGN);
	deadline = now_ms() + timeout * 1000;
	if ((fd = connect_to(host, port, deadline)) < 0) {
		free(msg.data);
		return EX_TEMPFAIL;
	}
	/* A large message asks first (RFC 9110 Expect: 100-continue): a server
	 * whose limit it passes answers 413 before the bytes are sent, and the
	 * MTA bounces it instead of retrying a connection the server cut. */
	expect = msg.len > EXPECT_ABOVE;
	n = asprintf(&head,
		     "POST %s/api/v1/mail/inbound%s HTTP/1.1\r\n"
		     "Host: %s%s%s:%s\r\n"
		     "Authorization: Bearer %s\r\n"
		     "Content-Type: message/rfc822\r\n"
		     "Content-Length: %zu\r\n"
		     "%s"
		     "Connection: close\r\n\r\n",
		     prefix, q, strchr(host, ':') ? "[" : "", host, strchr(host, ':') ? "]" : "",
		     port, token, msg.len, expect ? "Expect: 100-continue\r\n" : "");
	explicit_bzero(token, sizeof(token));
	rc = EX_TEMPFAIL;
	if (n < 0) {
		say("out of memory");
	} else if (send_all(fd, head, (size_t)n, deadline)) {
		say("the server closed the connection: will retry");
	} else if (expect && !recv_reply(fd, &reply, now_ms() + EXPECT_WAIT_MS, 1) &&
		   strncmp(reply.data, "HTTP/1.1 100", 12) && reply.len) {
		/* A final answer before the body: read the rest of it. */
		if (recv_reply(fd, &reply, deadline, 0))
			say("no reply from the server within %ld s: will retry", timeout);
		else
			rc = conclude(&reply);
	} else if (reply.len = 0, send_all(fd, msg.data, msg.len, deadline)) {
		say("the server closed the connection: will retry");
	} else if (recv_reply(fd, &reply, deadline, 0)) {
		say("no reply from the server within %ld s: will retry", timeout);
	} else {
		rc = conclude(&reply);
	}
	if (n >= 0) {
		explicit_bzero(head, (size_t)n);
		free(head);
	}
	close(fd);
	free(msg.data);
	free(reply.data);
	return rc;
}
