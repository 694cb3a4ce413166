/* doc — see doc.h. */
#include "doc.h"

#include "image.h"
#include "mem.h"

#include <stdlib.h>
#include <string.h>

void doc_init(doc_t *doc)
{
    memset(doc, 0, sizeof *doc);
}

void doc_paragraph_free(doc_paragraph_t *p)
{
    free(p->text);
    free(p->spans);
    memset(p, 0, sizeof *p);
}

static void free_block(doc_block_t *b)
{
    switch (b->kind) {
    case DOC_PARAGRAPH:
        doc_paragraph_free(&b->u.paragraph);
        break;
    case DOC_TABLE: {
        doc_table_t *t = &b->u.table;
        for (size_t c = 0; c < t->cell_count; c++) {
            for (size_t p = 0; p < t->cells[c].paragraph_count; p++)
                doc_paragraph_free(&t->cells[c].paragraphs[p]);
            free(t->cells[c].paragraphs);
        }
        free(t->cells);
        free(t->columns);
        free(t->sub_header_until);
        free(t->continued);
        break;
    }
    case DOC_CHART: {
        doc_chart_t *c = &b->u.chart;
        free(c->title);
        for (size_t i = 0; i < c->category_count; i++)
            free(c->categories[i]);
        free(c->categories);
        for (size_t i = 0; i < c->series_count; i++)
            free(c->series[i].name);
        free(c->series);
        free(c->values);
        free(c->reference_label);
        free(c->empty_text);
        free(c->below_label);
        break;
    }
    case DOC_IMAGE:
        free(b->u.image.path);
        image_free(b->u.image.image);
        break;
    case DOC_SPACE:
    case DOC_PAGE_BREAK:
        break;
    }
}

void doc_free(doc_t *doc)
{
    for (size_t s = 0; s < doc->section_count; s++) {
        for (size_t b = 0; b < doc->sections[s].block_count; b++)
            free_block(&doc->sections[s].blocks[b]);
        free(doc->sections[s].blocks);
    }
    free(doc->sections);
    for (size_t r = 0; r < doc->running_count; r++)
        free(doc->running[r].text);
    doc_init(doc);
}

doc_section_t *doc_add_section(doc_t *doc)
{
    doc->sections = mem_array_grow(doc->sections, &doc->section_capacity, doc->section_count + 1,
                                   sizeof *doc->sections);
    doc_section_t *s = &doc->sections[doc->section_count++];
    memset(s, 0, sizeof *s);
    return s;
}

doc_block_t *doc_add_block(doc_section_t *section, doc_kind_t kind)
{
    section->blocks = mem_array_grow(section->blocks, &section->block_capacity,
                                     section->block_count + 1, sizeof *section->blocks);
    doc_block_t *b = &section->blocks[section->block_count++];
    memset(b, 0, sizeof *b);
    b->kind = kind;
    return b;
}

void doc_paragraph_append(doc_paragraph_t *p, const char *text, size_t len, int font)
{
    p->text = mem_realloc(p->text, p->len + len + 1);
    memcpy(p->text + p->len, text, len);
    size_t start = p->len;
    p->len += len;
    p->text[p->len] = '\0';
    if (p->span_count && p->spans[p->span_count - 1].font == font) {
        p->spans[p->span_count - 1].end = p->len;
        return;
    }
    p->spans = mem_realloc(p->spans, (p->span_count + 1) * sizeof *p->spans);
    p->spans[p->span_count++] = (layout_span_t){start, p->len, font};
}

doc_cell_t *doc_table_add_cell(doc_table_t *t, size_t row, size_t col, size_t rowspan,
                               size_t colspan)
{
    t->cells = mem_array_grow(t->cells, &t->cell_capacity, t->cell_count + 1, sizeof *t->cells);
    doc_cell_t *c = &t->cells[t->cell_count++];
    memset(c, 0, sizeof *c);
    c->row = row;
    c->col = col;
    c->rowspan = rowspan ? rowspan : 1;
    c->colspan = colspan ? colspan : 1;
    if (row + c->rowspan > t->row_count)
        t->row_count = row + c->rowspan;
    return c;
}

void doc_table_set_sub_header(doc_table_t *t, size_t row, size_t until)
{
    size_t old = t->sub_header_capacity;
    if (row >= old) {
        t->sub_header_until = mem_array_grow(t->sub_header_until, &t->sub_header_capacity, row + 1,
                                             sizeof *t->sub_header_until);
        memset(t->sub_header_until + old, 0,
               (t->sub_header_capacity - old) * sizeof *t->sub_header_until);
    }
    t->sub_header_until[row] = until;
}

doc_paragraph_t *doc_cell_add_paragraph(doc_cell_t *cell, const doc_style_t *style)
{
    cell->paragraphs =
        mem_realloc(cell->paragraphs, (cell->paragraph_count + 1) * sizeof *cell->paragraphs);
    doc_paragraph_t *p = &cell->paragraphs[cell->paragraph_count++];
    memset(p, 0, sizeof *p);
    p->style = *style;
    return p;
}

char *doc_thai_digits(const char *text)
{
    size_t len = strlen(text), digits = 0;
    for (size_t i = 0; i < len; i++)
        digits += text[i] >= '0' && text[i] <= '9';
    char *out = mem_alloc(len + 2 * digits + 1);
    size_t o = 0;
    for (size_t i = 0; i < len; i++) {
        if (text[i] >= '0' && text[i] <= '9') {
            /* U+0E50 + d: E0 B9 90+d */
            out[o++] = (char)0xE0;
            out[o++] = (char)0xB9;
            out[o++] = (char)(0x90 + (text[i] - '0'));
        } else {
            out[o++] = text[i];
        }
    }
    out[o] = '\0';
    return out;
}
