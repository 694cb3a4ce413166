/* sfnt — see sfnt.h. */
#include "sfnt.h"

#include "mem.h"

#include <stdlib.h>
#include <string.h>

static uint16_t get16(const unsigned char *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t get32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void put16(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 8);
    p[1] = (unsigned char)v;
}

static void put32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

typedef struct table {
    uint32_t tag;
    const unsigned char *data;
    size_t len;
    unsigned char *owned; /* a rewritten table, freed at the end */
} table_t;

#define TAG(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (d))

static table_t *find(table_t *tables, size_t n, uint32_t tag)
{
    for (size_t i = 0; i < n; i++)
        if (tables[i].tag == tag)
            return &tables[i];
    return NULL;
}

/* Reads the table directory; returns the count or 0 when malformed. */
static size_t read_tables(const unsigned char *font, size_t len, table_t **out)
{
    if (len < 12)
        return 0;
    size_t n = get16(font + 4);
    if (n == 0 || 12 + 16 * n > len)
        return 0;
    table_t *tables = mem_zalloc(n, sizeof *tables);
    for (size_t i = 0; i < n; i++) {
        const unsigned char *rec = font + 12 + 16 * i;
        uint32_t offset = get32(rec + 8), length = get32(rec + 12);
        if (offset > len || length > len - offset) {
            free(tables);
            return 0;
        }
        tables[i] = (table_t){get32(rec), font + offset, length, NULL};
    }
    *out = tables;
    return n;
}

static uint32_t checksum(const unsigned char *p, size_t len)
{
    uint32_t sum = 0;
    size_t i = 0;
    for (; i + 4 <= len; i += 4)
        sum += get32(p + i);
    if (i < len) {
        unsigned char last[4] = {0, 0, 0, 0};
        memcpy(last, p + i, len - i);
        sum += get32(last);
    }
    return sum;
}

/* Offset of glyph g in glyf from loca; the caller checked g <= num_glyphs. */
static uint32_t loca_offset(const table_t *loca, int long_format, size_t g)
{
    return long_format ? get32(loca->data + 4 * g) : 2u * get16(loca->data + 2 * g);
}

int sfnt_advance(const unsigned char *font, size_t len, uint16_t gid)
{
    table_t *tables = NULL;
    size_t n = read_tables(font, len, &tables);
    int result = -1;
    table_t *hhea = n ? find(tables, n, TAG('h', 'h', 'e', 'a')) : NULL;
    table_t *hmtx = n ? find(tables, n, TAG('h', 'm', 't', 'x')) : NULL;
    if (hhea && hmtx && hhea->len >= 36) {
        size_t metrics = get16(hhea->data + 34);
        size_t index = gid < metrics ? gid : metrics - 1;
        if (metrics && 4 * (index + 1) <= hmtx->len)
            result = get16(hmtx->data + 4 * index);
    }
    free(tables);
    return result;
}

int sfnt_append_copies(const unsigned char *font, size_t len, const sfnt_copy_t *copies,
                       size_t count, unsigned char **out, size_t *out_len, uint16_t *first_new)
{
    table_t *tables = NULL;
    size_t n = read_tables(font, len, &tables);
    if (!n)
        return -1;
    int rc = -1;
    unsigned char *result = NULL;
    table_t *head = find(tables, n, TAG('h', 'e', 'a', 'd'));
    table_t *maxp = find(tables, n, TAG('m', 'a', 'x', 'p'));
    table_t *hhea = find(tables, n, TAG('h', 'h', 'e', 'a'));
    table_t *hmtx = find(tables, n, TAG('h', 'm', 't', 'x'));
    table_t *loca = find(tables, n, TAG('l', 'o', 'c', 'a'));
    table_t *glyf = find(tables, n, TAG('g', 'l', 'y', 'f'));
    table_t *post = find(tables, n, TAG('p', 'o', 's', 't'));
    if (!head || !maxp || !hhea || !hmtx || !loca || !glyf || head->len < 54 || maxp->len < 6 ||
        hhea->len < 36)
        goto done;
    size_t glyphs = get16(maxp->data + 4);
    size_t metrics = get16(hhea->data + 34);
    int long_loca = get16(head->data + 50) != 0;
    if (glyphs + count > 0xFFFF || metrics == 0 || metrics > glyphs ||
        hmtx->len < 4 * metrics + 2 * (glyphs - metrics) ||
        loca->len < (glyphs + 1) * (long_loca ? 4u : 2u))
        goto done;
    for (size_t g = 0; g <= glyphs; g++)
        if (loca_offset(loca, long_loca, g) > glyf->len ||
            (g && loca_offset(loca, long_loca, g) < loca_offset(loca, long_loca, g - 1)))
            goto done;
    for (size_t i = 0; i < count; i++)
        if (copies[i].source >= glyphs)
            goto done;

    /* glyf: the old glyphs, then one composite per copy (18 bytes, padded to 20). */
    size_t total = glyphs + count;
    size_t glyf_len = loca_offset(loca, long_loca, glyphs);
    unsigned char *new_glyf = mem_zalloc(glyf_len + 20 * count + 4, 1);
    memcpy(new_glyf, glyf->data, glyf_len);
    unsigned char *new_loca = mem_zalloc(total + 1, 4);
    for (size_t g = 0; g <= glyphs; g++)
        put32(new_loca + 4 * g, loca_offset(loca, long_loca, g));
    size_t at = glyf_len;
    int max_advance = get16(hhea->data + 10);
    for (size_t i = 0; i < count; i++) {
        uint32_t start = loca_offset(loca, long_loca, copies[i].source);
        uint32_t end = loca_offset(loca, long_loca, copies[i].source + 1u);
        {
            /* Always a composite, also of an empty glyph (a space): the copy names its
             * original either way. */
            unsigned char *p = new_glyf + at;
            put16(p, 0xFFFF); /* numberOfContours = -1 */
            if (end - start >= 10) {
                memcpy(p + 2, glyf->data + start + 2, 8); /* the original's bounding box */
                put16(p + 2, (uint16_t)((int16_t)get16(p + 2) + copies[i].shift));
                put16(p + 6, (uint16_t)((int16_t)get16(p + 6) + copies[i].shift));
            } else {
                memset(p + 2, 0, 8);
            }
            put16(p + 10, 0x0001 | 0x0002); /* ARG_1_AND_2_ARE_WORDS, XY values */
            put16(p + 12, copies[i].source);
            put16(p + 14, (uint16_t)copies[i].shift);
            put16(p + 16, 0);
            at += 20;
        }
        put32(new_loca + 4 * (glyphs + i + 1), (uint32_t)at);
        if (copies[i].advance > max_advance)
            max_advance = copies[i].advance;
    }
    glyf->owned = new_glyf;
    glyf->data = new_glyf;
    glyf->len = at;
    loca->owned = new_loca;
    loca->data = new_loca;
    loca->len = 4 * (total + 1);

    /* hmtx: full metrics for every glyph. */
    unsigned char *new_hmtx = mem_zalloc(total, 4);
    for (size_t g = 0; g < glyphs; g++) {
        uint16_t advance = get16(hmtx->data + 4 * (g < metrics ? g : metrics - 1));
        uint16_t lsb = g < metrics ? get16(hmtx->data + 4 * g + 2)
                                   : get16(hmtx->data + 4 * metrics + 2 * (g - metrics));
        put16(new_hmtx + 4 * g, advance);
        put16(new_hmtx + 4 * g + 2, lsb);
    }
    for (size_t i = 0; i < count; i++) {
        size_t src = copies[i].source;
        put16(new_hmtx + 4 * (glyphs + i), copies[i].advance);
        put16(new_hmtx + 4 * (glyphs + i) + 2,
              (uint16_t)((int16_t)get16(new_hmtx + 4 * src + 2) + copies[i].shift));
    }
    hmtx->owned = new_hmtx;
    hmtx->data = new_hmtx;
    hmtx->len = 4 * total;

    unsigned char *new_hhea = mem_alloc(hhea->len);
    memcpy(new_hhea, hhea->data, hhea->len);
    put16(new_hhea + 10, (uint32_t)max_advance);
    put16(new_hhea + 34, (uint32_t)total);
    hhea->owned = new_hhea;
    hhea->data = new_hhea;

    unsigned char *new_maxp = mem_alloc(maxp->len);
    memcpy(new_maxp, maxp->data, maxp->len);
    put16(new_maxp + 4, (uint32_t)total);
    if (maxp->len >= 32 && count) {
        /* Composite limits: the copies have one component and the original's points. */
        if (get16(new_maxp + 10) < get16(new_maxp + 6))
            put16(new_maxp + 10, get16(new_maxp + 6));
        if (get16(new_maxp + 12) < get16(new_maxp + 8))
            put16(new_maxp + 12, get16(new_maxp + 8));
        if (get16(new_maxp + 28) < 1)
            put16(new_maxp + 28, 1);
        if (get16(new_maxp + 30) < 1)
            put16(new_maxp + 30, 1);
    }
    maxp->owned = new_maxp;
    maxp->data = new_maxp;

    unsigned char *new_head = mem_alloc(head->len);
    memcpy(new_head, head->data, head->len);
    put16(new_head + 50, 1); /* long loca */
    put32(new_head + 8, 0);  /* checkSumAdjustment, set below */
    head->owned = new_head;
    head->data = new_head;

    if (post && post->len >= 32) {
        unsigned char *new_post = mem_alloc(32);
        memcpy(new_post, post->data, 32);
        put32(new_post, 0x00030000); /* no glyph names */
        post->owned = new_post;
        post->data = new_post;
        post->len = 32;
    }

    /* Write the font: directory, then tables padded to 4 bytes. */
    size_t kept = 0;
    table_t *order = mem_zalloc(n, sizeof *order);
    for (size_t i = 0; i < n; i++) {
        uint32_t t = tables[i].tag;
        if (t == TAG('h', 'd', 'm', 'x') || t == TAG('L', 'T', 'S', 'H') ||
            t == TAG('V', 'D', 'M', 'X'))
            continue;
        order[kept++] = tables[i];
    }
    size_t size = 12 + 16 * kept;
    for (size_t i = 0; i < kept; i++)
        size += (order[i].len + 3) & ~(size_t)3;
    result = mem_zalloc(size, 1);
    memcpy(result, font, 4);
    put16(result + 4, (uint32_t)kept);
    uint32_t entry_selector = 0;
    while ((2u << entry_selector) <= kept)
        entry_selector++;
    put16(result + 6, 16u << entry_selector);
    put16(result + 8, entry_selector);
    put16(result + 10, (uint32_t)(16 * kept - (16u << entry_selector)));
    size_t offset = 12 + 16 * kept;
    size_t head_offset = 0;
    for (size_t i = 0; i < kept; i++) {
        unsigned char *rec = result + 12 + 16 * i;
        memcpy(result + offset, order[i].data, order[i].len);
        put32(rec, order[i].tag);
        put32(rec + 4, checksum(result + offset, order[i].len));
        put32(rec + 8, (uint32_t)offset);
        put32(rec + 12, (uint32_t)order[i].len);
        if (order[i].tag == TAG('h', 'e', 'a', 'd'))
            head_offset = offset;
        offset += (order[i].len + 3) & ~(size_t)3;
    }
    put32(result + head_offset + 8, 0xB1B0AFBAu - checksum(result, size));
    free(order);
    *out = result;
    *out_len = size;
    *first_new = (uint16_t)glyphs;
    result = NULL;
    rc = 0;
done:
    for (size_t i = 0; i < n; i++)
        free(tables[i].owned);
    free(tables);
    free(result);
    return rc;
}
