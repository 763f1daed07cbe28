/*
 * ticket_group.c — a ticket's assignment group: the shape of a group name
 * and the list filter `group=`.
 *
 * Groups are names, as users carry them in `groups` ("ops,dba"); there is
 * no table of groups. A name is 1-63 letters, digits, '.', '_' or '-'. A
 * name no user carries yet is taken (docs/desk.md): escalations and OLAs
 * name groups too, and a group may be staffed after a rule names it.
 */
#include "domain/desk/ticket.h"
#include "lib/ident.h"
#include "lib/strlist.h"
#include "store/store.h"

#include <stdlib.h>
#include <string.h>

int ticket_group_valid(const char *s)
{
	return ident_valid(s, TICKET_GROUP_MAX, IDENT_PUNCT);
}

/* Append name (n bytes) to the array once. */
static void add_name(json_t *arr, const char *name, size_t n)
{
	json_t *v = json_stringn(name, n);
	size_t i;
	json_t *x;

	json_array_foreach(arr, i, x)
		if (json_equal(x, v)) {
			json_decref(v);
			return;
		}
	json_array_append_new(arr, v);
}

int ticket_group_filter(struct store *st, const struct actor *a, const char *list, char **out,
			struct err *e)
{
	json_t *arr = json_array();
	const char *p = list;
	int rc = 0;

	*out = NULL;
	if (!arr)
		return err_set(e, ERR_INTERNAL, NULL, "out of memory");
	for (;;) {
		size_t n = strcspn(p, ",");
		char name[TICKET_GROUP_MAX + 1];

		if (!n || n > TICKET_GROUP_MAX) {
			rc = err_set(e, ERR_INVALID, "group", n ? "group name '%.64s' is too long" :
							      "empty group name in 'group'",
				     p);
			goto out;
		}
		memcpy(name, p, n);
		name[n] = '\0';
		if (!strcmp(name, "none")) {
			add_name(arr, "", 0); /* tickets without a group */
		} else if (!strcmp(name, "mine")) {
			/* The caller's own groups, as their user record lists them. */
			struct user u;
			const char *g;

			if (a->user_id) {
				if ((rc = st->ops->user_get(st, NULL, a->user_id, NULL, &u, e)))
					goto out;
				for (g = u.groups; *g;) {
					size_t k = strcspn(g, ",");

					if (k)
						add_name(arr, g, k);
					g += k + (g[k] == ',');
				}
			}
		} else if (!ticket_group_valid(name)) {
			rc = err_set(e, ERR_INVALID, "group", "malformed group name '%s'", name);
			goto out;
		} else {
			add_name(arr, name, n);
		}
		if (!p[n])
			break;
		p += n + 1;
	}
	/* An empty set ("mine" of a user in no group) matches nothing: "[]". */
	*out = json_dumps(arr, JSON_COMPACT);
	if (!*out)
		rc = err_set(e, ERR_INTERNAL, NULL, "out of memory");
out:
	json_decref(arr);
	return rc;
}
