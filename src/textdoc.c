/* textdoc — see textdoc.h. */
#include "textdoc.h"

#include "mem.h"

#include <stdlib.h>
#include <string.h>

/* A4 and the margins of Thai official documents, in points (1 cm = 72 / 2.54 pt). */
#define CM 28.346456692913385
const textdoc_page_t textdoc_official_a4 = {595.275590551, 841.88976378, 3 * CM,
                                            2 * CM,        2.5 * CM,     2 * CM};

/* Splits a line into spans at "**" markers, removing the markers from the text in place.
 * Returns the new length; *spans gets a new array (caller frees). */
static size_t bold_spans(char *line, size_t len, layout_span_t **spans, size_t *count)
{
    size_t out = 0, n = 0, cap = 0, start = 0;
    int bold = 0;
    layout_span_t *s = NULL;
    for (size_t i = 0; i < len;) {
        if (i + 1 < len && line[i] == '*' && line[i + 1] == '*') {
            if (out > start) {
                s = mem_array_grow(s, &cap, n + 1, sizeof *s);
                s[n++] = (layout_span_t){start, out, bold};
            }
            bold = !bold;
            start = out;
            i += 2;
            continue;
        }
        line[out++] = line[i++];
    }
    s = mem_array_grow(s, &cap, n + 1, sizeof *s);
    s[n++] = (layout_span_t){start, out, bold};
    *spans = s;
    *count = n;
    return out;
}

void textdoc_build(const char *text, size_t len, const textdoc_options_t *o, doc_t *doc)
{
    const textdoc_page_t *page = &textdoc_official_a4;
    doc->page_width = page->width;
    doc->page_height = page->height;
    doc->margin_left = page->margin_left;
    doc->margin_right = page->margin_right;
    doc->margin_top = page->margin_top;
    doc->margin_bottom = page->margin_bottom;
    doc_section_t *section = doc_add_section(doc);
    doc_style_t style = {.size = o->size, .line_spacing = o->line_spacing, .align = o->align};
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        text += 3, len -= 3;
    size_t start = 0;
    while (start <= len) {
        size_t end = start;
        while (end < len && text[end] != '\n')
            end++;
        if (end == len && start == len && len > 0)
            break; /* no paragraph after a final newline */
        size_t line_len = end - start;
        if (line_len && text[start + line_len - 1] == '\r')
            line_len--;
        layout_span_t *spans = NULL;
        size_t span_count = 0;
        char *line = mem_strndup(text + start, line_len);
        bold_spans(line, line_len, &spans, &span_count);
        doc_paragraph_t *p = &doc_add_block(section, DOC_PARAGRAPH)->u.paragraph;
        p->style = style;
        for (size_t i = 0; i < span_count; i++)
            if (spans[i].end > spans[i].start)
                doc_paragraph_append(p, line + spans[i].start, spans[i].end - spans[i].start,
                                     spans[i].font);
        if (!p->text)
            doc_paragraph_append(p, "", 0, 0);
        free(spans);
        free(line);
        start = end + 1;
    }
}
