/* main — dispatches `itareport COMMAND ...` to the commands of cmd.h, and prints the
 * overview, per-command help and the version. */
#include "cmd.h"
#include "datadir.h"
#include "diag.h"
#include "mem.h"
#include "outfile.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef ITAREPORT_VERSION
#define ITAREPORT_VERSION "unknown"
#endif

const cmd_t cmd_table[] = {
    {"render", N_("render an agency's official ITA report (YAML -> PDF)"), cmd_render_run,
     cmd_render_help},
    {"text", N_("typeset a UTF-8 text file into a PDF (try a font, proof a text)"), cmd_text_run,
     cmd_text_help},
    {"check", N_("analyse an agency's ITA results (YAML) and report problems"), cmd_check_run,
     cmd_check_help},
    {"new", N_("write a skeleton input for a framework year, to fill in"), cmd_new_run,
     cmd_new_help},
    {"batch", N_("render many agencies' reports at once, with a summary (CSV and PDF)"),
     cmd_batch_run, cmd_batch_help},
    {"summary", N_("merge the shard summaries of a batch into one"), cmd_summary_run,
     cmd_summary_help},
    {"serve", N_("serve a Thai web form that checks an input as it is typed and makes the PDF"),
     cmd_serve_run, cmd_serve_help},
    /* hidden (no summary): the server's worker processes */
    {"serve-worker", NULL, cmd_serve_worker_run, cmd_serve_worker_help},
    {NULL, NULL, NULL, NULL},
};

static const cmd_t *cmd_find(const char *name)
{
    for (const cmd_t *c = cmd_table; c->name; c++)
        if (strcmp(c->name, name) == 0)
            return c;
    return NULL;
}

static void print_overview(FILE *out)
{
    fputs(_("Usage: itareport COMMAND [OPTIONS] ...\n"
            "\n"
            "Turns a Thai agency's ITA (Integrity and Transparency Assessment) results into\n"
            "the official analysis report as a PDF.\n"
            "\n"
            "Commands:\n"),
          out);
    for (const cmd_t *c = cmd_table; c->name; c++)
        if (c->summary)
            fprintf(out, "  %-10s %s\n", c->name, _(c->summary));
    fputs(_("\n"
            "Options:\n"
            "  -h, --help     show this help\n"
            "  -V, --version  show the version\n"
            "  --lang th|en   the language of messages (default: the system's), for every\n"
            "                 command\n"
            "\n"
            "'itareport help COMMAND' or 'itareport COMMAND --help' explains a command.\n"
            "Exit status: 0 success, 1 bad input or failed work, 2 usage error.\n"
            "\n"
            "Example:\n"
            "  itareport text poem.txt -o poem.pdf\n"
            "  itareport check samples/sepholoe-2566.yaml\n"),
          out);
}

int cmd_usage_error(diag_t *dg, const char *command, const char *id, const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    diag_vemit(dg, DIAG_ERROR, NULL, id, fmt, args);
    va_end(args);
    if (command)
        diag_note(dg, NULL, "usage-help-command", "try 'itareport help %s'", command);
    else
        diag_note(dg, NULL, "usage-help", "try 'itareport --help'");
    return DIAG_EXIT_USAGE;
}

int cmd_option_error(diag_t *dg, const char *command, int c, char **argv)
{
    /* A short option inside a cluster (-qx) is named by optopt, a long one by its word. */
    char shorty[3] = {'-', (char)optopt, '\0'};
    const char *name = optopt > 0 && optopt < 128 ? shorty : argv[optind - 1];
    if (c == ':')
        return cmd_usage_error(dg, command, "usage-option-needs-value", "option '%s' needs a value",
                               name);
    return cmd_usage_error(dg, command, "usage-unknown-option", "unknown option '%s'", name);
}

int cmd_one_input(diag_t *dg, const char *command, int argc, char **argv, const char **input)
{
    if (optind >= argc)
        return cmd_usage_error(dg, command, "usage-input-file-given", "no input file given");
    if (optind + 1 < argc)
        return cmd_usage_error(dg, command, "usage-one-input-file-please",
                               "one input file, please (got '%s' and '%s')", argv[optind],
                               argv[optind + 1]);
    *input = argv[optind];
    return DIAG_EXIT_OK;
}

static int run_command(diag_t *dg, int argc, char **argv);

/* Takes "--lang th|en" (or --lang=X) out of argv, anywhere before "--": every command
 * accepts it. Returns the language, NULL when not given, "" when its value is wrong. */
static const char *take_language(int *argc, char **argv)
{
    const char *lang = NULL;
    int out = 1;
    bool done = false;
    for (int i = 1; i < *argc; i++) {
        const char *a = argv[i];
        if (!done && strcmp(a, "--") == 0)
            done = true;
        if (!done && strcmp(a, "--lang") == 0) {
            lang = i + 1 < *argc ? argv[++i] : "";
            continue;
        }
        if (!done && strncmp(a, "--lang=", 7) == 0) {
            lang = a + 7;
            continue;
        }
        argv[out++] = argv[i];
    }
    *argc = out;
    argv[out] = NULL;
    if (lang && strcmp(lang, "th") != 0 && strcmp(lang, "en") != 0)
        return "";
    return lang;
}

int main(int argc, char **argv)
{
    mem_tune_process();
    outfile_handle_signals();
    const char *lang = take_language(&argc, argv);
    char *locale_dir = datadir_locale();
    diag_setup_language(lang && *lang ? lang : NULL, locale_dir);
    free(locale_dir);
    diag_t *dg = diag_new(NULL, NULL);
    /* The severity word in colour on a terminal, unless NO_COLOR is set (no-color.org). */
    const char *no_colour = getenv("NO_COLOR"), *term = getenv("TERM");
    diag_set_colour(dg, isatty(STDERR_FILENO) && !(no_colour && *no_colour) &&
                            !(term && strcmp(term, "dumb") == 0));
    int status = lang && !*lang ? cmd_usage_error(dg, NULL, "usage-lang", "--lang wants th or en")
                                : run_command(dg, argc, argv);
    diag_free(dg);
    return status;
}

/* The command line's command, run with messages going to dg. */
static int run_command(diag_t *dg, int argc, char **argv)
{
    if (argc < 2)
        return cmd_usage_error(dg, NULL, "usage-command-given", "no command given");
    const char *name = argv[1];
    if (strcmp(name, "-h") == 0 || strcmp(name, "--help") == 0) {
        print_overview(stdout);
        return DIAG_EXIT_OK;
    }
    if (strcmp(name, "--version") == 0 || strcmp(name, "-V") == 0) {
        printf("itareport %s\n", ITAREPORT_VERSION);
        return DIAG_EXIT_OK;
    }
    if (strcmp(name, "help") == 0) {
        if (argc < 3) {
            print_overview(stdout);
            return DIAG_EXIT_OK;
        }
        const cmd_t *c = cmd_find(argv[2]);
        if (!c)
            return cmd_usage_error(dg, NULL, "usage-unknown-command", "unknown command '%s'",
                                   argv[2]);
        c->help(stdout);
        return DIAG_EXIT_OK;
    }
    const cmd_t *c = cmd_find(name);
    if (!c)
        return cmd_usage_error(dg, NULL, "usage-unknown-command", "unknown command '%s'", name);
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0)
            break;
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            c->help(stdout);
            return DIAG_EXIT_OK;
        }
    }
    return c->run(dg, argc - 1, argv + 1);
}
