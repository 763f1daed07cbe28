/*
 * plugin.c — reading what a Nagios-compatible check plugin printed.
 *
 * The idea: plugin text is untrusted and often sloppy, so every parser here
 * works on (pointer, length) pairs, looks at no more than PLUGIN_OUTPUT_MAX
 * bytes, and degrades instead of failing: the output split always succeeds,
 * a malformed perfdata item is skipped and counted. Numbers are scanned by a
 * small C-locale grammar of our own ([+-] digits [. digits] [e[+-]digits]),
 * never by a bare strtod, so "inf", "0x10" or "1,5" are not numbers here.
 *
 * Invariants: results own all their strings (freed by plugin_output_release
 * or plugin_perf_free_array); a failing call leaves nothing allocated.
 */
#include "domain/events/plugin.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lib/buf.h"

enum plugin_state plugin_state_from_exit(int exit_code)
{
	if (exit_code >= PLUGIN_OK && exit_code <= PLUGIN_UNKNOWN)
		return (enum plugin_state)exit_code;
	return PLUGIN_UNKNOWN;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Scan the longest number at s[0..len): returns the bytes used (0 = none). */
static size_t scan_number(const char *s, size_t len, double *out)
{
	size_t i = 0, digits = 0, mark;
	char tmp[64];
	char *end;
	double v;

	if (i < len && (s[i] == '+' || s[i] == '-'))
		i++;
	while (i < len && is_digit(s[i]))
		i++, digits++;
	if (i < len && s[i] == '.') {
		i++;
		while (i < len && is_digit(s[i]))
			i++, digits++;
	}
	if (!digits)
		return 0;
	if (i < len && (s[i] == 'e' || s[i] == 'E')) {
		mark = i++;
		if (i < len && (s[i] == '+' || s[i] == '-'))
			i++;
		if (i < len && is_digit(s[i])) {
			while (i < len && is_digit(s[i]))
				i++;
		} else {
			i = mark; /* "1e" is the number 1 and the unit "e" */
		}
	}
	if (i >= sizeof(tmp))
		return 0;
	memcpy(tmp, s, i);
	tmp[i] = '\0';
	v = strtod(tmp, &end);
	if (end != tmp + i || !isfinite(v))
		return 0;
	*out = v;
	return i;
}

/* The whole of s[0..len) is one number. */
static int parse_number_all(const char *s, size_t len, double *out)
{
	return len && scan_number(s, len, out) == len ? 0 : ERR_INVALID;
}

int plugin_range_parse(const char *s, size_t len, struct plugin_range *r)
{
	const char *colon;
	size_t slen;

	r->start = 0;
	r->end = INFINITY;
	r->inside = false;
	if (len && s[0] == '@') {
		r->inside = true;
		s++, len--;
	}
	if (!len)
		return ERR_INVALID;
	colon = memchr(s, ':', len);
	if (!colon) {
		if (parse_number_all(s, len, &r->end) || r->end < 0)
			return ERR_INVALID;
		return 0;
	}
	slen = (size_t)(colon - s);
	if (slen == 1 && s[0] == '~')
		r->start = -INFINITY;
	else if (slen && parse_number_all(s, slen, &r->start))
		return ERR_INVALID;
	s += slen + 1;
	len -= slen + 1;
	if (len && parse_number_all(s, len, &r->end))
		return ERR_INVALID;
	if (r->start > r->end)
		return ERR_INVALID;
	return 0;
}

bool plugin_range_alert(const struct plugin_range *r, double x)
{
	bool outside = x < r->start || x > r->end;

	if (isnan(x))
		return false;
	return r->inside ? !outside : outside;
}

enum plugin_state plugin_threshold_eval(const struct plugin_range *warn,
					const struct plugin_range *crit, double x)
{
	if (crit && plugin_range_alert(crit, x))
		return PLUGIN_CRITICAL;
	if (warn && plugin_range_alert(warn, x))
		return PLUGIN_WARNING;
	return PLUGIN_OK;
}

/* A unit: letters, '%', or UTF-8 bytes ("°C", "µs"); at most 15 bytes. */
static bool valid_uom(const char *s, size_t len)
{
	if (len >= PLUGIN_UOM_MAX)
		return false;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '%' || c >= 0x80))
			return false;
	}
	return true;
}

/* Drop a trailing copy of the value's unit from a threshold or min/max field. */
static size_t strip_uom(const char *f, size_t len, const char *uom)
{
	size_t ul = strlen(uom);

	if (ul && len > ul && !memcmp(f + len - ul, uom, ul))
		return len - ul;
	return len;
}

static int parse_range_field(const char *f, size_t len, const char *uom,
			     struct plugin_range *r, char raw[PLUGIN_RANGE_RAW_MAX], bool *has)
{
	if (!len)
		return 0;
	if (len >= PLUGIN_RANGE_RAW_MAX)
		return ERR_INVALID;
	memcpy(raw, f, len);
	raw[len] = '\0';
	if (plugin_range_parse(f, strip_uom(f, len, uom), r))
		return ERR_INVALID;
	*has = true;
	return 0;
}

static int parse_num_field(const char *f, size_t len, const char *uom, double *v, bool *has)
{
	if (!len)
		return 0;
	if (parse_number_all(f, strip_uom(f, len, uom), v))
		return ERR_INVALID;
	*has = true;
	return 0;
}

/* Parse "value[UOM];warn;crit;min;max" (tok[0..len), no blanks) into p;
 * fields beyond the fifth are ignored. */
static int parse_values(const char *tok, size_t len, struct plugin_perf *p)
{
	const char *f[5] = { 0 };
	size_t fl[5] = { 0 }, nf = 0, i = 0, used;

	while (nf < 5) {
		const char *semi = memchr(tok + i, ';', len - i);
		size_t end = semi ? (size_t)(semi - tok) : len;

		f[nf] = tok + i;
		fl[nf++] = end - i;
		if (!semi)
			break;
		i = end + 1;
	}
	if (fl[0] == 1 && f[0][0] == 'U') {
		p->value_known = false;
	} else {
		used = scan_number(f[0], fl[0], &p->value);
		if (!used || !valid_uom(f[0] + used, fl[0] - used))
			return ERR_INVALID;
		memcpy(p->uom, f[0] + used, fl[0] - used);
		p->uom[fl[0] - used] = '\0';
		p->value_known = true;
	}
	if (parse_range_field(f[1], fl[1], p->uom, &p->warn, p->warn_raw, &p->has_warn) ||
	    parse_range_field(f[2], fl[2], p->uom, &p->crit, p->crit_raw, &p->has_crit) ||
	    parse_num_field(f[3], fl[3], p->uom, &p->min, &p->has_min) ||
	    parse_num_field(f[4], fl[4], p->uom, &p->max, &p->has_max))
		return ERR_INVALID;
	return 0;
}

/*
 * Read one item starting at s[*pos] (not a blank). On return *pos is past
 * the item (or past the malformed text). Returns 1 with *p filled (label
 * owned by p), 0 for a malformed item, ERR_INTERNAL when out of memory.
 */
static int parse_item(const char *s, size_t len, size_t *pos, struct plugin_perf *p)
{
	struct buf label = BUF_INIT;
	size_t i = *pos, tok;
	int rc = 0;

	buf_init(&label, len + 1);
	if (s[i] == '\'') {
		for (i++;; i++) {
			if (i >= len)
				goto skip; /* unterminated quote */
			if (s[i] == '\'') {
				if (i + 1 < len && s[i + 1] == '\'') {
					i++;
				} else {
					i++;
					break;
				}
			}
			if (buf_putc(&label, s[i])) {
				rc = ERR_INTERNAL;
				goto out;
			}
		}
		if (i >= len || s[i] != '=')
			goto skip;
	} else {
		tok = i;
		while (i < len && s[i] != '=' && !is_blank(s[i]))
			i++;
		if (i >= len || s[i] != '=')
			goto skip;
		if (buf_append(&label, s + tok, i - tok)) {
			rc = ERR_INTERNAL;
			goto out;
		}
	}
	if (!label.len)
		goto skip;
	tok = ++i; /* past '=' */
	while (i < len && !is_blank(s[i]))
		i++;
	memset(p, 0, sizeof(*p));
	if (parse_values(s + tok, i - tok, p))
		goto skip;
	p->label = buf_detach(&label, NULL);
	if (!p->label) {
		rc = ERR_INTERNAL;
		goto out;
	}
	rc = 1;
	goto out;
skip:
	while (i < len && !is_blank(s[i]))
		i++;
out:
	*pos = i;
	buf_release(&label);
	return rc;
}

int plugin_perf_parse(const char *s, size_t len, struct plugin_perf **items, size_t *n,
		      size_t *skipped, struct err *e)
{
	struct plugin_perf *arr = NULL, *grown, item;
	const char *nul;
	size_t count = 0, alloc = 0, bad = 0, i = 0;
	int rc;

	*items = NULL;
	*n = 0;
	if (len > PLUGIN_OUTPUT_MAX)
		len = PLUGIN_OUTPUT_MAX;
	if (len && (nul = memchr(s, '\0', len)))
		len = (size_t)(nul - s); /* the first NUL ends the text */
	while (i < len) {
		if (is_blank(s[i])) {
			i++;
			continue;
		}
		rc = parse_item(s, len, &i, &item);
		if (rc < 0)
			goto fail;
		if (rc == 0 || count >= PLUGIN_PERF_MAX_ITEMS) {
			if (rc == 1)
				free(item.label);
			bad++;
			continue;
		}
		if (count == alloc) {
			alloc = alloc ? alloc * 2 : 8;
			grown = realloc(arr, alloc * sizeof(*arr));
			if (!grown) {
				free(item.label);
				goto fail;
			}
			arr = grown;
		}
		arr[count++] = item;
	}
	*items = arr;
	*n = count;
	if (skipped)
		*skipped = bad;
	return 0;
fail:
	plugin_perf_free_array(arr, count);
	return err_set(e, ERR_INTERNAL, NULL, "out of memory parsing perfdata");
}

void plugin_perf_free_array(struct plugin_perf *items, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(items[i].label);
	free(items);
}

static char *memdup0(const char *s, size_t n)
{
	char *d = malloc(n + 1);

	if (d) {
		if (n)
			memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}

/* Narrow [*s, *s + *n) to drop blanks at both ends. */
static void trim(const char **s, size_t *n)
{
	while (*n && is_blank((*s)[0]))
		(*s)++, (*n)--;
	while (*n && is_blank((*s)[*n - 1]))
		(*n)--;
}

int plugin_output_parse(const char *text, size_t len, struct plugin_output *out,
			struct err *e)
{
	const char *line1, *rest = NULL, *p1 = NULL, *p2 = NULL, *nl, *bar, *nul;
	size_t l1, lrest = 0, lp1 = 0, lp2 = 0, lshort;
	struct buf perf = BUF_INIT;
	int rc;

	memset(out, 0, sizeof(*out));
	buf_init(&perf, 2 * PLUGIN_OUTPUT_MAX + 2);
	if (len > PLUGIN_OUTPUT_MAX) {
		len = PLUGIN_OUTPUT_MAX;
		out->truncated = true;
	}
	nul = text ? memchr(text, '\0', len) : NULL;
	if (!text)
		len = 0;
	else if (nul)
		len = (size_t)(nul - text);
	while (len && (text[len - 1] == '\n' || text[len - 1] == '\r'))
		len--;

	/* Line 1: short output, then perf1 after its first '|'. */
	line1 = text;
	nl = len ? memchr(text, '\n', len) : NULL;
	l1 = nl ? (size_t)(nl - text) : len;
	if (nl) {
		rest = nl + 1;
		lrest = len - l1 - 1;
	}
	bar = l1 ? memchr(line1, '|', l1) : NULL;
	lshort = bar ? (size_t)(bar - line1) : l1;
	if (bar) {
		p1 = bar + 1;
		lp1 = l1 - lshort - 1;
	}
	/* Lines 2..n: long output up to the first '|', the rest is perf2. */
	bar = lrest ? memchr(rest, '|', lrest) : NULL;
	if (bar) {
		p2 = bar + 1;
		lp2 = lrest - (size_t)(bar - rest) - 1;
		lrest = (size_t)(bar - rest);
	}
	trim(&line1, &lshort);
	while (lrest && is_blank(rest[lrest - 1]))
		lrest--;
	if (p1)
		trim(&p1, &lp1);
	if (p2)
		trim(&p2, &lp2);

	rc = buf_append(&perf, p1 ? p1 : "", lp1);
	if (!rc && lp1 && lp2)
		rc = buf_putc(&perf, ' ');
	for (size_t i = 0; !rc && i < lp2; i++)
		rc = buf_putc(&perf, p2[i] == '\n' || p2[i] == '\r' ? ' ' : p2[i]);
	if (rc)
		goto oom;
	out->short_text = memdup0(line1 ? line1 : "", lshort);
	out->long_text = memdup0(rest ? rest : "", lrest);
	out->perfdata = buf_detach(&perf, NULL);
	if (!out->short_text || !out->long_text || !out->perfdata)
		goto oom;
	rc = plugin_perf_parse(out->perfdata, strlen(out->perfdata), &out->perf, &out->nperf,
			       &out->perf_skipped, e);
	if (rc) {
		plugin_output_release(out);
		return rc;
	}
	return 0;
oom:
	buf_release(&perf);
	plugin_output_release(out);
	return err_set(e, ERR_INTERNAL, NULL, "out of memory parsing plugin output");
}

void plugin_output_release(struct plugin_output *out)
{
	free(out->short_text);
	free(out->long_text);
	free(out->perfdata);
	plugin_perf_free_array(out->perf, out->nperf);
	memset(out, 0, sizeof(*out));
}
