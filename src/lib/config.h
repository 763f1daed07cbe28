/*
 * config.h — configuration as one table: each option's name, type, default,
 * bounds and where it lands (as redis's config.c). Read from an INI file
 * (inih) with `[section]` names folded into the option name
 * ("server.listen"); command-line flags override the file. A section whose
 * keys are the admin's own names (`[commands]`: one command template per
 * key) is one CONF_SECTION row: each of its keys is handed to the row's
 * function.
 */
#ifndef ITSM_CONFIG_H
#define ITSM_CONFIG_H

#include <stddef.h>

#include "lib/err.h"

enum config_type { CONF_STRING, CONF_INT, CONF_SECTION };

struct config_option {
	const char *name;    /* "server.threads"; a CONF_SECTION: "commands" */
	enum config_type type;
	const char *def;     /* default, as text; a CONF_SECTION: example lines
			      * ("key = value\n…"), printed commented out */
	long min, max;       /* bounds for CONF_INT */
	size_t offset;       /* where the value lands in the target struct */
	size_t size;         /* for CONF_STRING: the char array's size */
	const char *help;
	/* CONF_SECTION: take key = value of the section; an error names the
	 * problem (config_load adds the file and line) */
	int (*each)(void *target, const char *key, const char *value, struct err *e);
};

/* Apply every option's default to target. */
void config_defaults(const struct config_option *table, void *target);
/* Set one option from text; ERR_INVALID names the option on a bad value. */
int config_set(const struct config_option *table, void *target, const char *name,
	       const char *value, struct err *e);
/* Read an INI file into target; unknown options and bad values are errors
 * naming the line. */
int config_load(const struct config_option *table, void *target, const char *path,
		struct err *e);
/* Print the table as a commented example file. */
void config_print_example(const struct config_option *table, FILE *f);

#endif
