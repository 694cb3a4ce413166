/* cmd_text — `itareport text`: typesets a UTF-8 text file on A4 with the official margins,
 * one paragraph per input line; the test bench of the text engine and a proofing tool. */
#include "cmd.h"
#include "datadir.h"
#include "filebuf.h"
#include "fontfamily.h"
#include "diag.h"
#include "mem.h"
#include "outfile.h"
#include "render.h"
#include "textdoc.h"
#include "utf8.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

void cmd_text_help(FILE *out)
{
    fputs(_("Usage: itareport text INPUT.txt [-o OUTPUT.pdf] [OPTIONS]\n"
            "\n"
            "Typesets a UTF-8 text file on A4 (margins: left 3 cm, right 2 cm, top 2.5 cm,\n"
            "bottom 2 cm), one paragraph per input line; a blank line is an empty line.\n"
            "Thai is shaped with HarfBuzz and broken into lines with libthai's dictionary.\n"
            "Text between ** and ** is set in the bold font. INPUT '-' reads standard input.\n"
            "\n"
            "Options:\n"
            "  -o, --output FILE     the PDF to write ('-' for standard output;\n"
            "                        default: INPUT with .pdf instead of its extension)\n"
            "      --size PT         font size in points (default 16)\n"
            "      --align MODE      left, right, center, justify or thai-distributed\n"
            "                        (default left)\n"
            "      --line-spacing X  multiple of the font's line height (default 1.0)\n"
            "      --font FILE       regular TrueType font (default fonts/Sarabun-Regular.ttf)\n"
            "      --bold-font FILE  bold TrueType font (default fonts/Sarabun-Bold.ttf)\n"
            "      --font-family NAME  regular and bold from a family of\n"
            "                        templates/font-families.yaml: sarabun or laksaman\n"
            "      --data-dir DIR    where fonts/ and templates/ are\n"
            "      --dump-layout     write the display list as text instead of a PDF (to -o\n"
            "                        FILE, else to standard output)\n"
            "\n"
            "Example:\n"
            "  itareport text samples/thai-sample.txt -o out/thai-sample.pdf --align center\n"),
          out);
}

/* Reports the first invalid UTF-8 sequence with its line, column and byte offset. */
static int check_utf8(diag_t *dg, const char *path, const char *text, size_t len)
{
    int line, column;
    size_t bad = utf8_check(text, len, &line, &column);
    if (bad == len)
        return 0;
    diag_pos_t pos = {.file = path, .line = line, .column = column};
    diag_fail(dg, &pos, "text-invalid-utf-byte-x", "invalid UTF-8 (byte 0x%02X at byte offset %zu)",
              (unsigned char)text[bad], bad);
    return -1;
}

typedef struct text_options {
    const char *input, *output, *font, *bold_font, *family, *data_dir;
    double size, line_spacing;
    int align, dump;
} text_options_t;

static int parse_options(diag_t *dg, int argc, char **argv, text_options_t *o)
{
    enum {
        OPT_SIZE = 256,
        OPT_ALIGN,
        OPT_FONT,
        OPT_BOLD,
        OPT_DATA,
        OPT_DUMP,
        OPT_SPACING,
        OPT_FAMILY
    };
    static const struct option longs[] = {
        {"output", required_argument, NULL, 'o'},
        {"size", required_argument, NULL, OPT_SIZE},
        {"align", required_argument, NULL, OPT_ALIGN},
        {"line-spacing", required_argument, NULL, OPT_SPACING},
        {"font", required_argument, NULL, OPT_FONT},
        {"bold-font", required_argument, NULL, OPT_BOLD},
        {"font-family", required_argument, NULL, OPT_FAMILY},
        {"data-dir", required_argument, NULL, OPT_DATA},
        {"dump-layout", no_argument, NULL, OPT_DUMP},
        {NULL, 0, NULL, 0},
    };
    *o = (text_options_t){.size = 16, .line_spacing = 1.0, .align = LAYOUT_ALIGN_LEFT};
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":o:", longs, NULL)) != -1) {
        char *end = NULL;
        switch (c) {
        case 'o':
            o->output = optarg;
            break;
        case OPT_SIZE:
            o->size = strtod(optarg, &end);
            if (!end || *end || !(o->size >= 1 && o->size <= 500))
                return cmd_usage_error(dg, "text", "usage-size-wants-number-points",
                                       "--size wants a number of points from 1 to 500, "
                                       "not '%s'",
                                       optarg);
            break;
        case OPT_SPACING:
            o->line_spacing = strtod(optarg, &end);
            if (!end || *end || !(o->line_spacing >= 0.5 && o->line_spacing <= 5))
                return cmd_usage_error(dg, "text", "usage-line-spacing-wants-number",
                                       "--line-spacing wants a number from 0.5 to 5, "
                                       "not '%s'",
                                       optarg);
            break;
        case OPT_ALIGN:
            o->align = layout_align_parse(optarg);
            if (o->align < 0)
                return cmd_usage_error(dg, "text", "usage-align-wants-left-right",
                                       "--align wants left, right, center, justify or "
                                       "thai-distributed, not '%s'",
                                       optarg);
            break;
        case OPT_FONT:
            o->font = optarg;
            break;
        case OPT_BOLD:
            o->bold_font = optarg;
            break;
        case OPT_FAMILY:
            o->family = optarg;
            break;
        case OPT_DATA:
            o->data_dir = optarg;
            break;
        case OPT_DUMP:
            o->dump = 1;
            break;
        default:
            return cmd_option_error(dg, "text", c, argv);
        }
    }
    return cmd_one_input(dg, "text", argc, argv, &o->input);
}

int cmd_text_run(diag_t *dg, int argc, char **argv)
{
    text_options_t o;
    int rc = parse_options(dg, argc, argv, &o);
    if (rc != DIAG_EXIT_OK || !o.input)
        return rc != DIAG_EXIT_OK ? rc : DIAG_EXIT_USAGE;
    char *data_dir = NULL, *output = NULL, *text = NULL;
    renderer_t *r = NULL;
    doc_t doc;
    doc_init(&doc);
    rc = DIAG_EXIT_FAILURE;

    size_t len = 0;
    if (filebuf_read(dg, o.input, "", 256u << 20, (unsigned char **)&text, &len) != 0 ||
        check_utf8(dg, o.input, text, len) != 0)
        goto done;
    if (!o.font || !o.bold_font) {
        data_dir = datadir_find(dg, o.data_dir);
        if (!data_dir)
            goto done;
    }
    /* A font given on the command line is a path as it stands; a family's and the defaults
     * are in the data folder (or absolute). */
    fontfamily_t family = {{NULL}};
    if (o.family && (o.font && o.bold_font ? 0 : fontfamily_find(dg, data_dir, o.family, &family)))
        goto done;
    const char *regular_name = family.faces[0] ? family.faces[0] : "fonts/Sarabun-Regular.ttf";
    const char *bold_name = family.faces[1] ? family.faces[1] : "fonts/Sarabun-Bold.ttf";
    char *regular = o.font                   ? mem_strdup(o.font)
                    : regular_name[0] == '/' ? mem_strdup(regular_name)
                                             : datadir_path(data_dir, regular_name);
    char *bold = o.bold_font           ? mem_strdup(o.bold_font)
                 : bold_name[0] == '/' ? mem_strdup(bold_name)
                                       : datadir_path(data_dir, bold_name);
    fontfamily_free(&family);
    const char *fonts[2] = {regular, bold};
    r = render_new(dg, NULL);
    int fonts_rc = r ? render_use_fonts(r, fonts, 2) : -1;
    free(regular);
    free(bold);
    if (fonts_rc != 0)
        goto done;
    textdoc_options_t options = {o.size, o.line_spacing, (layout_align_t)o.align};
    textdoc_build(text, len, &options, &doc);
    output = o.output ? mem_strdup(o.output)
             : o.dump ? mem_strdup("-")
                      : outfile_sibling(o.input, ".pdf");
    const char *base = strrchr(o.input, '/');
    /* The options that change the pages are part of what the document is made from. */
    char *options_text = mem_printf("%s\n%.17g %.17g %d", text, o.size, o.line_spacing, o.align);
    render_meta_t meta = {.title = base ? base + 1 : o.input,
                          .creator = "itareport text",
                          .source = (const unsigned char *)options_text,
                          .source_size = strlen(options_text)};
    if (render_document(r, &doc, &meta, output, o.dump) == 0)
        rc = DIAG_EXIT_OK;
    free(options_text);
done:
    doc_free(&doc);
    render_keep_until_exit(r);
    free(text);
    free(data_dir);
    free(output);
    return rc;
}
