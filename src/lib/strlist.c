/*
 * strlist.c — reading comma-separated name lists (see strlist.h).
 */
#include "lib/strlist.h"

#include <string.h>

int strlist_has(const char *list, const char *item, size_t n)
{
	while (list && *list) {
		size_t l = strcspn(list, ",");

		if (l == n && !strncmp(list, item, n))
			return 1;
		list += l + (list[l] == ',');
	}
	return 0;
}

json_t *strlist_json(const char *list)
{
	json_t *arr = json_array();

	while (arr && list && *list) {
		size_t l = strcspn(list, ",");

		if (l && json_array_append_new(arr, json_stringn(list, l))) {
			json_decref(arr);
			return NULL;
		}
		list += l + (list[l] == ',');
	}
	return arr;
}
