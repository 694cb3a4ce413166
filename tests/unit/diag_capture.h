/* A diagnostics context for unit tests: collects every record as its one-line form, one per
 * line, in a buffer that the test compares with what it expects, and keeps the last
 * record's id and path. Header-only so each test program includes it. */
#ifndef ITAREPORT_TEST_DIAG_CAPTURE_H
#define ITAREPORT_TEST_DIAG_CAPTURE_H

#include "diag.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char captured[8192];
static char captured_id[128];
static char captured_path[256];
static diag_t *test_dg;

static void capture_record(void *user, const diag_record_t *record)
{
    (void)user;
    char line[2048];
    diag_format_line(line, sizeof line, record);
    size_t used = strlen(captured);
    if (used + strlen(line) + 2 < sizeof captured) {
        strcat(captured, line);
        strcat(captured, "\n");
    }
    snprintf(captured_id, sizeof captured_id, "%s", record->id ? record->id : "");
    snprintf(captured_path, sizeof captured_path, "%s", record->pos.path ? record->pos.path : "");
}

static void capture_stop(void)
{
    diag_free(test_dg);
    test_dg = NULL;
}

/* Starts capturing (and counting) afresh, in a new context test_dg. */
static void capture_start(void)
{
    static int registered;
    if (!registered) {
        atexit(capture_stop);
        registered = 1;
    }
    captured[0] = captured_id[0] = captured_path[0] = '\0';
    diag_free(test_dg);
    test_dg = diag_new(capture_record, NULL);
}

#endif
