/*
 * cmd_notify.c — e-mail notifications from the command line:
 *   itsm notify templates                         the 14 templates
 *   itsm notify template show EVENT.LANG          one template
 *   itsm notify template update EVENT.LANG [--subject S] [--body-file F] [--version N]
 *   itsm notify settings USER                     a user's language and events
 *   itsm notify set USER [--lang en|ja] [--off EVENT,...] [--version N]
 *
 * Thin over domain/notify/notify_admin.c, which decides who may (admins
 * edit templates; a user, or an admin, their settings). Without --version
 * a change applies to the record as just read.
 */
#include "cli/cli.h"
#include "domain/notify/notify.h"
#include "lib/file.h"

#include <stdlib.h>

static const char usage_templates[] = "itsm notify templates";
static const char usage_show[] = "itsm notify template show EVENT.LANG";
static const char usage_update[] =
	"itsm notify template update EVENT.LANG [--subject TEXT] [--body-file FILE] "
	"[--version N]";
static const char usage_settings[] = "itsm notify settings USER";
static const char usage_set[] =
	"itsm notify set USER [--lang en|ja] [--off EVENT,...|none] [--version N]";

static const char *const template_keys[] = { "name", "builtin", "version", "updated_by",
					     "updated_at", "subject", "body", NULL };
static const char *const settings_keys[] = { "user", "lang", "on", "off", "version", NULL };

static int all_templates(struct store *st, const struct actor *a, json_t **out, struct err *e)
{
	return notify_templates_json(st, a, out, e);
}

static int templates(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	static const char *const cols[] = { "name", "builtin", "version", "subject:60", NULL };

	return cli_get_all(c, all_templates, CLI_AS_TABLE(cols));
}

static int show(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	return cli_get(c, notify_template_get_json, pos[0], CLI_AS_RECORD(template_keys));
}

static const struct opt update_opts[] = { { "--subject", CLI_STR, "subject" },
					  { "--body-file" },
					  { "--version", CLI_INT, "version" },
					  { NULL } };

static int update(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	const char *file = cli_opt(opts, "--body-file");
	json_t *in = json_object();

	if (file) {
		struct err e = { 0 };
		char *text = NULL;

		if (file_read(file, NOTIFY_BODY_MAX + 1, &text, NULL, &e)) {
			json_decref(in);
			return cli_fail(&e);
		}
		json_t *body = json_string(text);

		free(text);
		if (!body) {
			json_decref(in);
			return cli_failf("'%s' is not UTF-8 text", file);
		}
		json_object_set_new(in, "body", body);
	}
	return cli_update(c, notify_template_update, notify_template_get_json, pos[0], opts, in,
			  CLI_AS_LINE("updated template", "name"));
}

static int settings(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	return cli_get(c, notify_prefs_get_json, pos[0], CLI_AS_RECORD(settings_keys));
}

static const struct opt set_opts[] = { { "--lang", CLI_STR, "lang" },
				       { "--off" },
				       { "--version", CLI_INT, "version" },
				       { NULL } };

static int set(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	const char *off = cli_opt(opts, "--off");
	json_t *in = json_object();

	if (off) {
		json_t *list = json_array();

		/* "none": every event on */
		for (const char *p = strcmp(off, "none") ? off : ""; *p;) {
			size_t len = strcspn(p, ",");

			if (len)
				json_array_append_new(list, json_stringn(p, len));
			p += len + (p[len] == ',');
		}
		json_object_set_new(in, "off", list);
	}
	return cli_update(c, notify_prefs_update, notify_prefs_get_json, pos[0], opts, in,
			  CLI_AS_RECORD(settings_keys));
}

const struct subcommand cmd_notify[] = {
	{ "templates", templates, 0, 0, NULL, usage_templates, 0 },
	{ "template show", show, 1, 1, NULL, usage_show, 0 },
	{ "template update", update, 1, 1, update_opts, usage_update, 0 },
	{ "settings", settings, 1, 1, NULL, usage_settings, 0 },
	{ "set", set, 1, 1, set_opts, usage_set, 0 },
	{ NULL },
};
