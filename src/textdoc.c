/* textdoc — see textdoc.h. */
#include "textdoc.h"

#include "mem.h"

#include <stdlib.h>
#include <string.h>

/* A4 and the margins of Thai official documents, in points (1 cm = 72 / 2.54 pt). */
#define CM 28.346456692913385
const layout_frame_t textdoc_official_a4 = {595.275590551, 841.88976378, 3 * CM,
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

void textdoc_layout(layout_t *layout, const char *text, size_t len, const textdoc_options_t *o,
                    dlist_t *list)
{
    layout_flow_t flow;
    layout_flow_init(&flow, layout, list, &textdoc_official_a4);
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
        line_len = bold_spans(line, line_len, &spans, &span_count);
        layout_paragraph_t para = {
            .text = line,
            .len = line_len,
            .spans = spans,
            .span_count = span_count,
            .size = o->size,
            .line_spacing = o->line_spacing,
            .align = o->align,
        };
        layout_flow_paragraph(&flow, &para);
        free(spans);
        free(line);
        start = end + 1;
    }
    if (list->page_count == 0)
        dlist_add_page(list, textdoc_official_a4.width, textdoc_official_a4.height);
}
