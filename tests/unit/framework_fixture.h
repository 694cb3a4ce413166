/* A cmocka group fixture for unit tests that need the 2566 framework: read once from the
 * source tree's templates/ (tests run from the source tree) and freed at the end.
 * Header-only so each test program includes it. */
#ifndef ITAREPORT_TEST_FRAMEWORK_FIXTURE_H
#define ITAREPORT_TEST_FRAMEWORK_FIXTURE_H

#include "diag_capture.h"
#include "framework.h"

static framework_t *fw;

static int setup(void **state)
{
    (void)state;
    capture_start();
    fw = framework_load_file(test_dg, "templates/ita-2566/framework.yaml");
    return fw ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    framework_free(fw);
    return 0;
}

#endif
