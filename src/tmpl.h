/* tmpl — a report template (templates/<framework>/report.yaml) as plain structs.
 *
 * The template is the report as data: page and margins, fonts, named styles, a running
 * header/footer, the wording (a free-form tree the text can quote, per-question findings
 * and recommendations, default measures), and the sections in order, each a list of
 * blocks: paragraphs with {{placeholders}} and conditions, repetition over a list
 * (`each`), tables (columns with width rules, header rows, row groups that repeat and
 * whose cells span the rows they produce), bar charts, space and page breaks. The loader
 * checks every key and value, compiles every text (tmpltext.h) and checks every data name
 * it uses (placeholders, conditions, `each`) against the names the data will provide,
 * in every branch whether or not data reaches it, and reports problems as
 * file:line:column; the report stage (report.h) only fills it with data. Nothing here
 * knows the ITA: the names come from the caller (facts.h for reports, summary.h for the
 * batch summary).
 *
 * A tmpl_t owns all its memory (tmpl_free). Positions point into the template's file
 * name, owned by the template. */
#ifndef ITAREPORT_TMPL_H
#define ITAREPORT_TMPL_H

#include "diag.h"
#include "doc.h"
#include "tmpltext.h"
#include "value.h"

#include <stdbool.h>
#include <stddef.h>

/* A text with placeholders, and where it is in the template; compiled into pieces when
 * the template is loaded (tmpltext.h). */
typedef struct tmpl_text {
    char *text;
    diag_pos_t pos;
    tmpltext_t compiled;
} tmpl_text_t;

/* A condition: a data path that must be truthy (or, negated, falsy). path NULL: always. */
typedef struct tmpl_cond {
    char *path;
    bool negate;
    diag_pos_t pos;
} tmpl_cond_t;

/* A named style: the document style plus which of its fields the name sets (so a "mark"
 * style can override only colour and weight). */
typedef struct tmpl_style {
    char *name;
    doc_style_t style;
    bool sets_color, sets_font;
} tmpl_style_t;

/* A piece of a paragraph, shown when its condition holds. */
typedef struct tmpl_piece {
    tmpl_text_t text;
    tmpl_cond_t when;
} tmpl_piece_t;

typedef struct tmpl_cell {
    size_t col, colspan, rowspan; /* rowspan: header cells only */
    tmpl_text_t text;
    size_t style; /* index into styles */
    tmpl_cond_t when;
    tmpl_cond_t mark; /* when it holds, the template's mark style is applied */
    bool has_fill;
    dl_color_t fill;
} tmpl_cell_t;

/* A row group: repeated for each item of a list (`each` ... `as`) or shown when a
 * condition holds; its cells span every row produced inside it (at least one); leaf
 * groups (no `rows`) are one row. */
typedef struct tmpl_rows tmpl_rows_t;
struct tmpl_rows {
    tmpl_cond_t when;
    tmpl_text_t each; /* a path; text NULL when not repeated */
    char *as;
    tmpl_cell_t *cells;
    size_t cell_count;
    tmpl_rows_t *rows;
    size_t row_count;
    bool sub_header; /* its rows head the rest of the enclosing group (doc_table_t) */
};

typedef struct tmpl_table {
    doc_column_t *columns;
    size_t column_count;
    tmpl_cell_t **header; /* header rows of cells */
    size_t *header_cell_count;
    size_t header_count;
    tmpl_rows_t body;
    double border_width, padding;
    dl_color_t border_color, header_fill;
    char *continued; /* doc_table_t.continued; NULL: merged cells not repeated */
} tmpl_table_t;

typedef struct tmpl_series {
    tmpl_text_t name;
    tmpl_text_t value; /* placeholder giving each category's value */
    dl_color_t color;
} tmpl_series_t;

/* A bar chart: one group of bars per item of `each` (categories), one bar per series. */
/* The most steps a chart's value axis is divided into (axis_max / axis_step): more is an
 * error at load. */
#define TMPL_MAX_AXIS_STEPS 200

typedef struct tmpl_chart {
    tmpl_text_t title;
    tmpl_text_t each; /* the list of categories */
    char *as;
    tmpl_text_t category; /* each category's label */
    tmpl_series_t *series;
    size_t series_count;
    double axis_max, axis_step, height, width_fraction, label_size;
    int value_decimals;
    tmpl_text_t reference; /* the reference line's value (a placeholder) */
    tmpl_text_t reference_label;
    dl_color_t reference_color;
    tmpl_text_t empty; /* shown when there is no value */
    bool horizontal;   /* bars along the value axis, names at the left */
    bool has_below_color;
    dl_color_t below_color;  /* bars below the reference */
    tmpl_text_t below_label; /* its key in the legend */
    doc_chart_look_t look;
} tmpl_chart_t;

typedef enum tmpl_kind {
    TMPL_PARAGRAPH,
    TMPL_LIST, /* one paragraph per item of a list, each with a prefix */
    TMPL_TABLE,
    TMPL_CHART,
    TMPL_SPACE,
    TMPL_PAGE_BREAK,
    TMPL_IMAGE, /* a picture whose path is a placeholder (a logo) */
    TMPL_EACH,  /* the blocks, once per item of a list */
    TMPL_GROUP, /* the blocks, when the condition holds */
} tmpl_kind_t;

typedef struct tmpl_block tmpl_block_t;
struct tmpl_block {
    tmpl_kind_t kind;
    diag_pos_t pos;
    tmpl_cond_t when;
    size_t style;
    /* paragraph */
    tmpl_piece_t *pieces;
    size_t piece_count;
    /* list: items of `each` as `as`, each item's text is `item`, prefixed by `prefix`
     * ("{{index}}. " is the item's number) */
    tmpl_text_t item, prefix;
    /* each / list */
    tmpl_text_t each;
    char *as;
    tmpl_block_t *blocks;
    size_t block_count;
    /* space */
    double space;
    /* image: its path (placeholders allowed), and size (0: from the image's aspect) */
    tmpl_text_t image;
    double image_width, image_height;
    tmpl_table_t table;
    tmpl_chart_t chart;
};

typedef struct tmpl_section {
    char *name;
    bool landscape, new_page;
    bool centered; /* set as one block with as much space above as below (a cover) */
    tmpl_cond_t when;
    tmpl_block_t *blocks;
    size_t block_count;
} tmpl_section_t;

typedef struct tmpl_running {
    tmpl_text_t text;
    size_t style;
    bool skip_first;
} tmpl_running_t;

/* A one-line text made of pieces with conditions, like a paragraph's: the document
 * information. count 0: none. */
typedef struct tmpl_line {
    tmpl_piece_t *pieces;
    size_t count;
} tmpl_line_t;

/* What the PDF says about itself (`document:` in the template). */
typedef enum tmpl_info {
    TMPL_INFO_TITLE,
    TMPL_INFO_AUTHOR,
    TMPL_INFO_SUBJECT,
    TMPL_INFO_KEYWORDS,
    TMPL_INFO_ATTACHMENT, /* the embedded input's description */
    TMPL_INFO_COUNT,
} tmpl_info_t;

typedef struct tmpl {
    char *file;
    /* Every file the template was read from: report.yaml (unless loaded from memory), the
     * wording file, and any file a template extends; the report's fingerprint hashes them. */
    char **sources;
    size_t source_count;
    char **files; /* the files of the templates it extends (tmplext.h), positions point here */
    size_t file_count;
    double page_width, page_height;
    double margin_left, margin_right, margin_top, margin_bottom;
    char *fonts[4]; /* regular, bold, italic, bold italic: paths relative to the data dir */
    bool thai_digits;
    tmpl_style_t *styles;
    size_t style_count;
    size_t mark_style; /* SIZE_MAX: none */
    tmpl_running_t header, footer;
    char **keep_together; /* words and names never broken across lines */
    size_t keep_count;
    value_t *wording; /* free-form (`wording:` or a file it names beside the template) */
    tmpl_section_t *sections;
    size_t section_count;
    tmpl_line_t info[TMPL_INFO_COUNT];
} tmpl_t;

/* The data names a template may use, as patterns, NULL-terminated: components separated
 * by dots; "name[]" is a list whose items have the names below it ("areas[].number");
 * "*" is any key ("tool.*.score": a map keyed by the framework's tool ids); "@key" is
 * every key of the entries of wording.key ("questions[].@questions": a question has
 * every key the wording gives a question). The template's own wording is always
 * available as "wording.*", and `each`/`list` items as `index`. */
typedef const char *const *tmpl_names_t;

/* Reads a template file and checks it against names (NULL: no name is checked); NULL
 * after reporting every problem found. */
tmpl_t *tmpl_load(diag_t *dg, const char *path, tmpl_names_t names);

/* The same from memory; name is used in messages and to find a wording file beside it. */
tmpl_t *tmpl_load_buffer(diag_t *dg, const char *name, const unsigned char *data, size_t size,
                         tmpl_names_t names);
void tmpl_free(tmpl_t *t);

/* Checks every data name the template uses against names (as tmpl_load does); 0, or -1
 * after reporting each unknown one at its place. */
int tmpl_check_names(diag_t *dg, const tmpl_t *t, tmpl_names_t names);

/* Parses a length: "3cm", "25mm", "12pt", "1in" or a bare number of points; -1 when
 * it is not one. Exposed for tests. */
double tmpl_parse_length(const char *text);

#endif
