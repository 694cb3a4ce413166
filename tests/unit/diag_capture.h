/* A diag sink for unit tests: collects every message, one per line, in a buffer that
 * the test compares with what it expects. Header-only so each test program includes it. */
#ifndef ITAREPORT_TEST_DIAG_CAPTURE_H
#define ITAREPORT_TEST_DIAG_CAPTURE_H

#include "diag.h"

#include <string.h>

static char captured[8192];

static void capture_line(void *user, diag_severity_t severity, const char *line)
{
    (void)user;
    (void)severity;
    size_t used = strlen(captured);
    if (used + strlen(line) + 2 < sizeof captured) {
        strcat(captured, line);
        strcat(captured, "\n");
    }
}

/* Starts capturing (and counting) afresh. */
static void capture_start(void)
{
    captured[0] = '\0';
    diag_reset();
    diag_set_sink(capture_line, NULL);
}

#endif
