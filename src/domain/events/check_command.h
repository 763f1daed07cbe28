/*
 * check_command.h — command templates: the only programs checks may run,
 * defined by an admin in the configuration, as Nagios defines commands:
 *
 *   [checks]
 *   plugin_dirs = /usr/lib/nagios/plugins:/usr/lib/monitoring-plugins
 *   [commands]
 *   check_ping = /usr/lib/nagios/plugins/check_ping -H $HOSTADDRESS$ -w $ARG1$ -c $ARG2$
 *
 * A check names a template and gives its arguments; staff never name a
 * program. Invariants:
 *  - a template line becomes an argument vector by proc_split's rules
 *    (spaces, tabs, double quotes), never by a shell;
 *  - its program is a literal path or a bare name looked up in the plugin
 *    directories, and must be, after realpath (symlinks and .. resolved), a
 *    regular executable file inside one of them (themselves realpath'd) —
 *    checked when the configuration is loaded and again before every run,
 *    and what runs is the resolved path;
 *  - macros ($ARG1$…$ARG32$, $HOSTNAME$, $HOSTADDRESS$, $$ for a dollar
 *    sign) are replaced inside their element, and what replaces them is
 *    never split again nor read for macros; a value may not make an
 *    element start with '-' (options belong to the template);
 *  - the set in use is installed once at start, before any thread reads
 *    it, and not changed afterwards.
 */
#ifndef ITSM_CHECK_COMMAND_H
#define ITSM_CHECK_COMMAND_H

#include <jansson.h>
#include <stddef.h>

#include "lib/err.h"

#define CHECK_COMMAND_NAME_MAX 63
#define CHECK_COMMAND_ARGS_MAX 32   /* $ARG1$ … $ARG32$ */
#define CHECK_COMMAND_ARG_LEN 1024  /* bytes in one argument */
#define CHECK_COMMAND_ARGV_MAX 64   /* elements of a template */
#define CHECK_PLUGIN_DIRS_DEFAULT "/usr/lib/nagios/plugins:/usr/lib/monitoring-plugins"

struct check_commands;

/* ---- building the set (when the configuration is read) ---- */

/* An empty set; NULL when out of memory. Free with check_commands_free. */
struct check_commands *check_commands_new(void);
void check_commands_free(struct check_commands *set);
/* Add the template name = line: its name (letters, digits, '.', '_', '-'),
 * its elements and macros are checked here; its program when the set is
 * resolved. ERR_INVALID names the template. */
int check_commands_add(struct check_commands *set, const char *name, const char *line,
		       struct err *e);
/* Take plugin_dirs (colon-separated; a directory that does not exist is
 * skipped) and resolve every template's program inside them. ERR_INVALID
 * names the first template refused and why. */
int check_commands_resolve(struct check_commands *set, const char *plugin_dirs, struct err *e);
/* The set checks use from now on (owned from here; the previous one is
 * freed). Single-threaded: call at start, before checks are read or run. */
void check_commands_install(struct check_commands *set);

/* ---- using the installed set ---- */

/* A check's definition: name must be an installed template (else
 * ERR_INVALID on "command") and args (NULL: none) an array of exactly as
 * many strings as its highest $ARGn$, each at most CHECK_COMMAND_ARG_LEN
 * bytes, without control characters, and not starting with '-' where it
 * would start an element (else ERR_INVALID on "args"). */
int check_command_validate(const char *name, const json_t *args, struct err *e);

/* What $HOSTNAME$ and $HOSTADDRESS$ stand for when a check runs. */
struct check_macros {
	const char *hostname;    /* the item's key */
	const char *hostaddress; /* its "address" attribute, else its key */
};

/* The argument vector to run for template name with args: NULL-terminated,
 * argv[0] the program's resolved path, re-checked inside the plugin
 * directories now. One allocation the caller frees with free(). ERR_INVALID
 * says why it may not run. */
int check_command_argv(const char *name, const json_t *args, const struct check_macros *m,
		       char ***argv, struct err *e);

/* May a raw argument vector stored before templates existed run? Its
 * program (a path, or a bare name looked up in the plugin directories —
 * never in PATH) must resolve inside a plugin directory as a template's
 * must; its resolved path goes to out. ERR_INVALID says why not. */
int check_plugin_resolve(const char *program, char *out, size_t n, struct err *e);

/* The installed templates: {"items": [{"name", "command": [elements as
 * written], "args": highest $ARGn$, "program": resolved path}],
 * "plugin_dirs": "…", "next_cursor": null}, sorted by name. */
json_t *check_commands_json(void);

#endif
