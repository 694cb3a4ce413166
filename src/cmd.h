/* cmd — the program's commands. Each command lives in its own cmd_<name>.c, parses its
 * own options and returns an exit code from diag.h (enum diag_exit). main.c holds the
 * table of commands; help texts are printed by the command's help function. */
#ifndef ITAREPORT_CMD_H
#define ITAREPORT_CMD_H

#include "diag.h"

#include <stdio.h>

typedef struct cmd {
    const char *name;
    const char *summary;                           /* one line for the overview */
    int (*run)(diag_t *dg, int argc, char **argv); /* argv[0] is the command name */
    void (*help)(FILE *out);                       /* full help with an example */
} cmd_t;

/* The table, terminated by an entry with a NULL name. */
extern const cmd_t cmd_table[];

/* Reports a usage error for a command ("itareport: error: ..." plus a hint to its help)
 * and returns DIAG_EXIT_USAGE. */
int cmd_usage_error(diag_t *dg, const char *command, const char *id, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Reports what getopt_long returned for a bad option (c is ':' for a missing value, '?'
 * otherwise; optopt and optind as getopt_long left them) and returns DIAG_EXIT_USAGE. */
int cmd_option_error(diag_t *dg, const char *command, int c, char **argv);

/* The one input left after the options (argv[optind]): DIAG_EXIT_OK with *input set, or
 * DIAG_EXIT_USAGE after reporting none or more than one. */
int cmd_one_input(diag_t *dg, const char *command, int argc, char **argv, const char **input);

int cmd_render_run(diag_t *dg, int argc, char **argv);
void cmd_render_help(FILE *out);

int cmd_text_run(diag_t *dg, int argc, char **argv);
void cmd_text_help(FILE *out);

int cmd_check_run(diag_t *dg, int argc, char **argv);
void cmd_check_help(FILE *out);
/* The JSON `check --json` prints, for an input held in memory (name: its file name), to out;
 * the records are kept for it and not printed. DIAG_EXIT_OK, or DIAG_EXIT_FAILURE when the
 * input does not check (the answer is then {"valid": false, "diagnostics": [...]}). */
int cmd_check_json(diag_t *dg, const char *name, const unsigned char *data, size_t size,
                   const char *data_dir, FILE *out);
/* That failure answer for records collected elsewhere (a render that failed). */
void cmd_check_json_failure(FILE *out, diag_record_t *const *records, size_t count);

int cmd_serve_run(diag_t *dg, int argc, char **argv);
void cmd_serve_help(FILE *out);
/* The server's worker (hidden): answers check and render jobs on fds 0 and 1 (pool.h). */
int cmd_serve_worker_run(diag_t *dg, int argc, char **argv);
void cmd_serve_worker_help(FILE *out);

int cmd_new_run(diag_t *dg, int argc, char **argv);
void cmd_new_help(FILE *out);

int cmd_batch_run(diag_t *dg, int argc, char **argv);
void cmd_batch_help(FILE *out);

int cmd_summary_run(diag_t *dg, int argc, char **argv);
void cmd_summary_help(FILE *out);

#endif
