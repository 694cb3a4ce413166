/* dlist — see dlist.h. */
#include "dlist.h"

#include "mem.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void dlist_init(dlist_t *list)
{
    memset(list, 0, sizeof *list);
}

void dlist_free(dlist_t *list)
{
    for (size_t p = 0; p < list->page_count; p++) {
        dl_page_t *page = &list->pages[p];
        for (size_t i = 0; i < page->count; i++) {
            if (page->items[i].kind == DL_TEXT) {
                free(page->items[i].u.text.glyphs);
                free(page->items[i].u.text.text);
            }
        }
        free(page->items);
    }
    free(list->pages);
    for (size_t i = 0; i < list->outline_count; i++)
        free(list->outlines[i].title);
    free(list->outlines);
    dlist_init(list);
}

dl_page_t *dlist_add_page(dlist_t *list, double width, double height)
{
    list->pages = mem_array_grow(list->pages, &list->page_capacity, list->page_count + 1,
                                 sizeof *list->pages);
    dl_page_t *page = &list->pages[list->page_count++];
    memset(page, 0, sizeof *page);
    page->width = width;
    page->height = height;
    return page;
}

static dl_item_t *add_item(dl_page_t *page, dl_kind_t kind)
{
    page->items =
        mem_array_grow(page->items, &page->capacity, page->count + 1, sizeof *page->items);
    dl_item_t *item = &page->items[page->count++];
    memset(item, 0, sizeof *item);
    item->kind = kind;
    return item;
}

dl_text_t *dlist_add_text(dl_page_t *page, int font, double size, double x, double y,
                          const glyph_t *glyphs, size_t glyph_count, const char *text,
                          size_t text_len)
{
    dl_text_t *t = &add_item(page, DL_TEXT)->u.text;
    t->font = font;
    t->size = size;
    t->x = x;
    t->y = y;
    t->glyphs = mem_alloc(glyph_count * sizeof *glyphs);
    memcpy(t->glyphs, glyphs, glyph_count * sizeof *glyphs);
    t->glyph_count = glyph_count;
    t->text = mem_strndup(text, text_len);
    t->text_len = text_len;
    return t;
}

void dlist_add_rect(dl_page_t *page, const dl_rect_t *rect)
{
    add_item(page, DL_RECT)->u.rect = *rect;
}

void dlist_add_line(dl_page_t *page, const dl_line_t *line)
{
    add_item(page, DL_LINE)->u.line = *line;
}

void dlist_add_image(dl_page_t *page, const dl_image_t *image)
{
    add_item(page, DL_IMAGE)->u.image = *image;
}

bool dlist_ink_extent(const dl_page_t *page, size_t first, double *top, double *bottom)
{
    bool any = false;
    for (size_t i = first; i < page->count; i++) {
        const dl_item_t *it = &page->items[i];
        double hi, lo;
        switch (it->kind) {
        case DL_TEXT:
            hi = it->u.text.y + it->u.text.y_max;
            lo = it->u.text.y + it->u.text.y_min;
            break;
        case DL_RECT:
            hi = it->u.rect.y + it->u.rect.height;
            lo = it->u.rect.y;
            break;
        case DL_LINE:
            hi = it->u.line.y1 > it->u.line.y2 ? it->u.line.y1 : it->u.line.y2;
            lo = it->u.line.y1 > it->u.line.y2 ? it->u.line.y2 : it->u.line.y1;
            break;
        case DL_IMAGE:
            hi = it->u.image.y + it->u.image.height;
            lo = it->u.image.y;
            break;
        default:
            continue;
        }
        if (!any || hi > *top)
            *top = hi;
        if (!any || lo < *bottom)
            *bottom = lo;
        any = true;
    }
    return any;
}

void dlist_shift(dl_page_t *page, size_t first, double dy)
{
    for (size_t i = first; i < page->count; i++) {
        dl_item_t *it = &page->items[i];
        switch (it->kind) {
        case DL_TEXT:
            it->u.text.y += dy;
            break;
        case DL_RECT:
            it->u.rect.y += dy;
            break;
        case DL_LINE:
            it->u.line.y1 += dy;
            it->u.line.y2 += dy;
            break;
        case DL_IMAGE:
            it->u.image.y += dy;
            break;
        }
    }
}

void dlist_add_outline(dlist_t *list, const char *title, size_t title_len, int level, size_t page,
                       double y)
{
    list->outlines = mem_array_grow(list->outlines, &list->outline_capacity,
                                    list->outline_count + 1, sizeof *list->outlines);
    list->outlines[list->outline_count++] =
        (dl_outline_t){mem_strndup(title, title_len), level, page, y};
}

void dlist_dump(const dlist_t *list, FILE *out)
{
    for (size_t i = 0; i < list->outline_count; i++)
        fprintf(out, "outline level=%d page=%zu y=%.2f \"%s\"\n", list->outlines[i].level,
                list->outlines[i].page + 1, list->outlines[i].y, list->outlines[i].title);
    for (size_t p = 0; p < list->page_count; p++) {
        const dl_page_t *page = &list->pages[p];
        fprintf(out, "page %zu %.2f %.2f\n", p + 1, page->width, page->height);
        for (size_t i = 0; i < page->count; i++) {
            const dl_item_t *item = &page->items[i];
            switch (item->kind) {
            case DL_TEXT: {
                const dl_text_t *t = &item->u.text;
                int32_t advance = 0;
                for (size_t g = 0; g < t->glyph_count; g++)
                    advance += t->glyphs[g].x_advance;
                fprintf(out,
                        "  text font=%d size=%.2f x=%.2f y=%.2f glyphs=%zu advance=%d "
                        "ink=%.2f..%.2f \"%.*s\"\n",
                        t->font, t->size, t->x, t->y, t->glyph_count, (int)advance, t->y_min,
                        t->y_max, (int)t->text_len, t->text);
                break;
            }
            case DL_RECT: {
                const dl_rect_t *r = &item->u.rect;
                fprintf(out, "  rect x=%.2f y=%.2f w=%.2f h=%.2f fill=%d stroke=%d", r->x, r->y,
                        r->width, r->height, r->fill, r->stroke);
                /* a filled rectangle's colour (a bar below the pass mark, a header's fill) */
                if (r->fill)
                    fprintf(out, " rgb=%02X%02X%02X", (unsigned)lround(r->fill_color.r * 255),
                            (unsigned)lround(r->fill_color.g * 255),
                            (unsigned)lround(r->fill_color.b * 255));
                fputc('\n', out);
                break;
            }
            case DL_IMAGE: {
                const dl_image_t *im = &item->u.image;
                fprintf(out, "  image x=%.2f y=%.2f w=%.2f h=%.2f\n", im->x, im->y, im->width,
                        im->height);
                break;
            }
            case DL_LINE: {
                const dl_line_t *l = &item->u.line;
                fprintf(out, "  line %.2f %.2f %.2f %.2f width=%.2f\n", l->x1, l->y1, l->x2, l->y2,
                        l->width);
                break;
            }
            }
        }
    }
}
