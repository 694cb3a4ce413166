/* cmd_render — `itareport render`: one assessment to its official report PDF. */
#include "cmd.h"
#include "datadir.h"
#include "diag.h"
#include "mem.h"
#include "outfile.h"
#include "render.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

void cmd_render_help(FILE *out)
{
    fputs(_("Usage: itareport render INPUT.yaml [-o OUTPUT.pdf] [OPTIONS]\n"
            "\n"
            "Renders the official ITA analysis report of one agency: cover, overall result,\n"
            "tool and indicator scores, charts, Part 1 (each issue area's table and analysis),\n"
            "Part 2 (the action plan) and Part 3 (limitations), from the input and the\n"
            "framework's report template (templates/<framework>/report.yaml).\n"
            "\n"
            "Options:\n"
            "  -o, --output FILE     the PDF to write ('-' for standard output;\n"
            "                        default: INPUT with .pdf instead of .yaml, beside it)\n"
            "      --template DIR    a template folder (framework.yaml and report.yaml)\n"
            "      --digits MODE     arabic or thai (default: as the template says)\n"
            "      --data-dir DIR    where fonts/ and templates/ are\n"
            "      --dump-layout     write the display list as text instead of a PDF\n"
            "\n"
            "Example:\n"
            "  itareport render samples/sepholoe-2566.yaml -o out/sepholoe-2566.pdf\n"),
          out);
}

int cmd_render_run(diag_t *dg, int argc, char **argv)
{
    enum { OPT_TEMPLATE = 256, OPT_DIGITS, OPT_DATA, OPT_DUMP };
    static const struct option longs[] = {
        {"output", required_argument, NULL, 'o'},
        {"template", required_argument, NULL, OPT_TEMPLATE},
        {"digits", required_argument, NULL, OPT_DIGITS},
        {"data-dir", required_argument, NULL, OPT_DATA},
        {"dump-layout", no_argument, NULL, OPT_DUMP},
        {NULL, 0, NULL, 0},
    };
    const char *output = NULL, *data_dir = NULL;
    render_options_t options = {.digits = -1};
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":o:", longs, NULL)) != -1) {
        switch (c) {
        case 'o':
            output = optarg;
            break;
        case OPT_TEMPLATE:
            options.template_dir = optarg;
            break;
        case OPT_DIGITS:
            if (strcmp(optarg, "thai") == 0)
                options.digits = 1;
            else if (strcmp(optarg, "arabic") == 0)
                options.digits = 0;
            else
                return cmd_usage_error(dg, "render", "usage-digits-wants-arabic-thai",
                                       "--digits wants arabic or thai, not '%s'", optarg);
            break;
        case OPT_DATA:
            data_dir = optarg;
            break;
        case OPT_DUMP:
            options.dump_layout = true;
            break;
        case ':':
            return cmd_usage_error(dg, "render", "usage-option-needs-value",
                                   "option '%s' needs a value", argv[optind - 1]);
        default:
            return cmd_usage_error(dg, "render", "usage-unknown-option", "unknown option '%s'",
                                   argv[optind - 1]);
        }
    }
    if (optind >= argc)
        return cmd_usage_error(dg, "render", "usage-input-file-given", "no input file given");
    if (optind + 1 < argc)
        return cmd_usage_error(dg, "render", "usage-one-input-file-please",
                               "one input file, please (got '%s' and '%s')", argv[optind],
                               argv[optind + 1]);
    const char *input = argv[optind];
    if (strcmp(input, "-") == 0 && !output)
        return cmd_usage_error(dg, "render", "usage-stdin-needs-output",
                               "reading standard input needs -o FILE (or -o - for standard "
                               "output)");
    char *target = output ? mem_strdup(output)
                          : outfile_sibling(input, options.dump_layout ? ".layout" : ".pdf");
    if (outfile_is_same(target, input)) {
        diag_fail(dg, NULL, "render-output-is-input",
                  "the output '%s' is the input itself; nothing was written (choose another -o)",
                  target);
        free(target);
        return DIAG_EXIT_FAILURE;
    }
    char *data = datadir_find(dg, data_dir);
    if (!data) {
        free(target);
        return DIAG_EXIT_FAILURE;
    }
    int rc = DIAG_EXIT_FAILURE;
    renderer_t *r = render_new(dg, data);
    if (r && render_file(r, input, target, &options) == 0)
        rc = DIAG_EXIT_OK;
    render_free(r);
    free(target);
    free(data);
    return rc;
}
