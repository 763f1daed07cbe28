/*
 * problem_rules.c — the problem module's rules as data: the status names,
 * the lifecycle (which status may follow which), and what makes two
 * incident titles similar (docs/problems.md, "Similar titles").
 *
 * Pure: no store, no clock. The similarity reads at most
 * SIM_TOKENS tokens of a title, each at most SIM_TOKEN_LEN - 1 bytes.
 */
#include "domain/problem/problem.h"

#include <stdlib.h>
#include <string.h>

static const char *const status_names[PS__COUNT] = {
	[PS_NEW] = "new",	    [PS_INVESTIGATING] = "investigating",
	[PS_KNOWN_ERROR] = "known_error", [PS_RESOLVED] = "resolved",
	[PS_CLOSED] = "closed",	    [PS_CANCELLED] = "cancelled",
};

/* lifecycle[from][to]: new → investigating → known_error → resolved →
 * closed; investigating may resolve without a known error; a known error
 * may go back to investigating, a resolved problem too (reopened);
 * anything not yet closed may be cancelled; closed and cancelled are
 * terminal. */
static const unsigned char lifecycle[PS__COUNT][PS__COUNT] = {
	[PS_NEW] = { [PS_INVESTIGATING] = 1, [PS_CANCELLED] = 1 },
	[PS_INVESTIGATING] = { [PS_KNOWN_ERROR] = 1, [PS_RESOLVED] = 1, [PS_CANCELLED] = 1 },
	[PS_KNOWN_ERROR] = { [PS_INVESTIGATING] = 1, [PS_RESOLVED] = 1, [PS_CANCELLED] = 1 },
	[PS_RESOLVED] = { [PS_INVESTIGATING] = 1, [PS_CLOSED] = 1 },
	[PS_CLOSED] = { 0 },
	[PS_CANCELLED] = { 0 },
};

struct problem_detect_config problem_detect_cfg = { .count = 3, .window_days = 7 };

const char *problem_status_name(enum problem_status s)
{
	return (unsigned)s < PS__COUNT ? status_names[s] : "?";
}

int problem_status_parse(const char *name, enum problem_status *out)
{
	for (int i = 0; i < PS__COUNT; i++)
		if (name && !strcmp(name, status_names[i])) {
			*out = (enum problem_status)i;
			return 0;
		}
	return -1;
}

int problem_can_move(enum problem_status from, enum problem_status to)
{
	if ((unsigned)from >= PS__COUNT || (unsigned)to >= PS__COUNT)
		return 0;
	return lifecycle[from][to];
}

int problem_status_is_terminal(enum problem_status s)
{
	return s == PS_CLOSED || s == PS_CANCELLED;
}

/* ---- similar titles ---- */

#define SIM_TOKENS 128
#define SIM_TOKEN_LEN 48

struct tokens {
	char t[SIM_TOKENS][SIM_TOKEN_LEN];
	size_t n;
};

enum cp_class { CP_SEP, CP_WORD, CP_CJK };

/* The next code point of s (advancing *s); a malformed byte reads as a
 * separator of one byte. */
static unsigned next_cp(const char **s, const char **start, size_t *len)
{
	const unsigned char *p = (const unsigned char *)*s;
	unsigned cp;
	size_t n;

	*start = *s;
	if (p[0] < 0x80) {
		cp = p[0];
		n = 1;
	} else if ((p[0] & 0xE0) == 0xC0 && (p[1] & 0xC0) == 0x80) {
		cp = (p[0] & 0x1Fu) << 6 | (p[1] & 0x3Fu);
		n = 2;
	} else if ((p[0] & 0xF0) == 0xE0 && (p[1] & 0xC0) == 0x80 && (p[2] & 0xC0) == 0x80) {
		cp = (p[0] & 0x0Fu) << 12 | (p[1] & 0x3Fu) << 6 | (p[2] & 0x3Fu);
		n = 3;
	} else if ((p[0] & 0xF8) == 0xF0 && (p[1] & 0xC0) == 0x80 && (p[2] & 0xC0) == 0x80 &&
		   (p[3] & 0xC0) == 0x80) {
		cp = (p[0] & 0x07u) << 18 | (p[1] & 0x3Fu) << 12 | (p[2] & 0x3Fu) << 6 |
		     (p[3] & 0x3Fu);
		n = 4;
	} else {
		cp = 0xFFFD;
		n = 1;
	}
	*s += n;
	*len = n;
	return cp;
}

/* Full-width ASCII forms (U+FF01-FF5E) as their ASCII letter or digit,
 * ASCII letters lowercased; 0 for anything else. */
static char ascii_fold(unsigned cp)
{
	if (cp >= 0xFF01 && cp <= 0xFF5E)
		cp -= 0xFEE0;
	if (cp >= 'A' && cp <= 'Z')
		return (char)(cp + 32);
	if ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9'))
		return (char)cp;
	return 0;
}

static enum cp_class classify(unsigned cp)
{
	if (ascii_fold(cp))
		return CP_WORD;
	if (cp < 0xC0 || cp == 0xD7 || cp == 0xF7 || cp == 0xFFFD)
		return CP_SEP; /* ASCII and Latin-1 punctuation, symbols */
	if ((cp >= 0x2000 && cp <= 0x2BFF) || (cp >= 0x3000 && cp <= 0x303F) ||
	    (cp >= 0xFF00 && cp <= 0xFF65) || (cp >= 0xFE30 && cp <= 0xFE4F))
		return CP_SEP; /* punctuation, symbols, CJK and full-width punctuation */
	if ((cp >= 0x3040 && cp <= 0x30FF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
	    (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xF900 && cp <= 0xFAFF) ||
	    (cp >= 0xFF66 && cp <= 0xFF9F) || (cp >= 0x20000 && cp <= 0x3FFFF))
		return CP_CJK; /* kana, ideographs, half-width katakana */
	return CP_WORD;
}

static void tok_add(struct tokens *t, const char *a, size_t na, const char *b, size_t nb)
{
	if (t->n >= SIM_TOKENS || na + nb == 0)
		return;
	if (na > SIM_TOKEN_LEN - 1)
		na = SIM_TOKEN_LEN - 1;
	if (nb > SIM_TOKEN_LEN - 1 - na)
		nb = SIM_TOKEN_LEN - 1 - na;
	memcpy(t->t[t->n], a, na);
	memcpy(t->t[t->n] + na, b, nb);
	t->t[t->n][na + nb] = '\0';
	t->n++;
}

static int tok_cmp(const void *a, const void *b)
{
	return strcmp(a, b);
}

/* The sorted set of s's tokens. */
static void tokenize(const char *s, struct tokens *t)
{
	char word[SIM_TOKEN_LEN];
	size_t wn = 0, prev_len = 0, run = 0;
	const char *prev = NULL;

	t->n = 0;
	while (*s) {
		const char *start;
		size_t len;
		unsigned cp = next_cp(&s, &start, &len);
		enum cp_class k = classify(cp);
		char f = ascii_fold(cp);

		if (k != CP_WORD && wn) {
			tok_add(t, word, wn, "", 0);
			wn = 0;
		}
		if (k != CP_CJK) {
			if (run == 1)
				tok_add(t, prev, prev_len, "", 0);
			run = 0;
		}
		if (k == CP_WORD) {
			const char *bytes = f ? &f : start;
			size_t nb = f ? 1 : len;

			if (wn + nb < sizeof(word)) {
				memcpy(word + wn, bytes, nb);
				wn += nb;
			}
		} else if (k == CP_CJK) {
			if (run)
				tok_add(t, prev, prev_len, start, len);
			prev = start;
			prev_len = len;
			run++;
		}
	}
	if (wn)
		tok_add(t, word, wn, "", 0);
	if (run == 1)
		tok_add(t, prev, prev_len, "", 0);
	qsort(t->t, t->n, SIM_TOKEN_LEN, tok_cmp);
	/* a set: duplicates go */
	size_t w = 0;
	for (size_t i = 0; i < t->n; i++)
		if (!w || strcmp(t->t[w - 1], t->t[i]))
			memmove(t->t[w++], t->t[i], SIM_TOKEN_LEN);
	t->n = w;
}

struct problem_tokens {
	struct tokens t;
};

struct problem_tokens *problem_tokens_new(const char *title)
{
	struct problem_tokens *p = malloc(sizeof(*p));

	if (p)
		tokenize(title ? title : "", &p->t);
	return p;
}

double problem_tokens_similarity(const struct problem_tokens *a, const struct problem_tokens *b)
{
	const struct tokens *x = &a->t, *y = &b->t;
	size_t i = 0, j = 0, both = 0, all;

	while (i < x->n && j < y->n) {
		int c = strcmp(x->t[i], y->t[j]);

		both += c == 0;
		i += c <= 0;
		j += c >= 0;
	}
	all = x->n + y->n - both;
	return all ? (double)both / (double)all : 0;
}

double problem_title_similarity(const char *a, const char *b)
{
	struct problem_tokens *x = problem_tokens_new(a), *y = problem_tokens_new(b);
	double r = x && y ? problem_tokens_similarity(x, y) : 0;

	free(x);
	free(y);
	return r;
}
