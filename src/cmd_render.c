/* cmd_render — `itareport render`: one assessment to its official report PDF. */
#include "cmd.h"
#include "datadir.h"
#include "diag.h"
#include "fontfamily.h"
#include "mem.h"
#include "outfile.h"
#include "render.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
            "      --font FILE       the regular TrueType font instead of the template's\n"
            "      --bold-font FILE  the bold TrueType font instead of the template's\n"
            "      --font-family NAME  the whole report (regular, bold, italic) in a family\n"
            "                        of templates/font-families.yaml: sarabun or laksaman\n"
            "                        (TH Sarabun New's Debian derivative)\n"
            "\n"
            "Example:\n"
            "  itareport render samples/sepholoe-2566.yaml -o out/sepholoe-2566.pdf\n"),
          out);
}

/* path as seen from the current folder, made absolute (a new string). */
static char *from_here(const char *path)
{
    char cwd[4096];
    if (path[0] == '/' || !getcwd(cwd, sizeof cwd))
        return mem_strdup(path);
    return mem_printf("%s/%s", cwd, path);
}

int cmd_render_run(diag_t *dg, int argc, char **argv)
{
    enum { OPT_TEMPLATE = 256, OPT_DIGITS, OPT_DATA, OPT_DUMP, OPT_FONT, OPT_BOLD, OPT_FAMILY };
    static const struct option longs[] = {
        {"output", required_argument, NULL, 'o'},
        {"template", required_argument, NULL, OPT_TEMPLATE},
        {"digits", required_argument, NULL, OPT_DIGITS},
        {"data-dir", required_argument, NULL, OPT_DATA},
        {"dump-layout", no_argument, NULL, OPT_DUMP},
        {"font", required_argument, NULL, OPT_FONT},
        {"bold-font", required_argument, NULL, OPT_BOLD},
        {"font-family", required_argument, NULL, OPT_FAMILY},
        {NULL, 0, NULL, 0},
    };
    const char *output = NULL, *data_dir = NULL, *family = NULL, *font = NULL, *bold = NULL;
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
        case OPT_FONT:
            font = optarg;
            break;
        case OPT_BOLD:
            bold = optarg;
            break;
        case OPT_FAMILY:
            family = optarg;
            break;
        default:
            return cmd_option_error(dg, "render", c, argv);
        }
    }
    const char *input = NULL;
    int usage = cmd_one_input(dg, "render", argc, argv, &input);
    if (usage != DIAG_EXIT_OK)
        return usage;
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
    /* A family sets every face; --font and --bold-font then replace its first two. */
    fontfamily_t faces = {{NULL}};
    renderer_t *r = NULL;
    if (family && fontfamily_find(dg, data, family, &faces) != 0)
        goto done;
    for (int i = 0; i < RENDER_FONT_SLOTS && i < FONTFAMILY_FACES; i++)
        options.fonts[i] = faces.faces[i];
    /* A font on the command line is a path from the current folder, not the data folder. */
    char *font_path = font ? from_here(font) : NULL, *bold_path = bold ? from_here(bold) : NULL;
    if (font_path)
        options.fonts[0] = font_path;
    if (bold_path)
        options.fonts[1] = bold_path;
    r = render_new(dg, data);
    if (r && render_file(r, input, target, &options) == 0)
        rc = DIAG_EXIT_OK;
    free(font_path);
    free(bold_path);
done:
    fontfamily_free(&faces);
    render_keep_until_exit(r);
    free(target);
    free(data);
    return rc;
}
