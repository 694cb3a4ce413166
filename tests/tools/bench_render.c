/* bench_render — times `itareport render` in one process: the renderer (breaker, fonts,
 * template) is made once, then the inputs are rendered in turn, N reports in all, to
 * /dev/null (different agencies, so that the shaping cache only helps where texts really
 * repeat). Usage: bench_render DATA_DIR ITERATIONS INPUT.yaml... Prints ms per report and
 * the peak resident memory of the process. */
#include "diag.h"
#include "render.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>

/* Messages go to standard error. */
static diag_t *test_dg;

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

int main(int argc, char **argv)
{
    test_dg = diag_new(NULL, NULL);
    if (argc < 4) {
        fputs("usage: bench_render DATA_DIR ITERATIONS INPUT.yaml...\n", stderr);
        return 2;
    }
    int iterations = atoi(argv[2]);
    int inputs = argc - 3;
    renderer_t *r = render_new(test_dg, argv[1]);
    if (!r)
        return 1;
    render_options_t options = {.digits = -1};
    /* The first report loads fonts and the template: timed apart. */
    double t0 = now_ms();
    if (render_file(r, argv[3], "/dev/null", &options) != 0)
        return 1;
    double first = now_ms() - t0;
    t0 = now_ms();
    for (int i = 0; i < iterations; i++)
        if (render_file(r, argv[3 + (i + 1) % inputs], "/dev/null", &options) != 0)
            return 1;
    double each = (now_ms() - t0) / iterations;
    struct rusage usage;
    getrusage(RUSAGE_SELF, &usage);
    printf("first report (loads fonts and template): %.2f ms\n", first);
    printf("repeated in one process: %.2f ms per report (mean of %d over %d inputs)\n", each,
           iterations, inputs);
    printf("peak memory: %.1f MB\n", usage.ru_maxrss / 1024.0);
    render_free(r);
    return 0;
}
