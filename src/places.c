/* places — see places.h. */
#include "places.h"

#include "datadir.h"
#include "diag.h"
#include "filebuf.h"
#include "mem.h"
#include "utf8.h"
#include "yamldoc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Takes off the first of a field's prefixes (a list in places.yaml) that text starts with
 * and that leaves a name behind, in place. */
static void strip_prefix(const yamldoc_node_t *prefixes, model_text_t *field)
{
    if (!field->text || !prefixes || prefixes->kind != YAMLDOC_KIND_SEQUENCE)
        return;
    for (size_t i = 0; i < prefixes->count; i++) {
        const yamldoc_node_t *p = prefixes->items[i];
        if (p->kind != YAMLDOC_KIND_SCALAR || !p->len)
            continue;
        size_t n = p->len;
        if (strncmp(field->text, p->text, n) == 0 && field->text[n]) {
            size_t skip = n;
            while (field->text[skip] == ' ')
                skip++;
            memmove(field->text, field->text + skip, strlen(field->text + skip) + 1);
            return;
        }
    }
}

/* Code points of a UTF-8 text, at most max; returns the count. */
static size_t code_points(const char *s, uint32_t *out, size_t max)
{
    size_t n = 0, at = 0, len = strlen(s);
    while (at < len && n < max)
        out[n++] = utf8_decode(s, len, &at);
    return n;
}

/* Edit distance between two texts counted in characters (a Thai letter is one). */
static size_t distance(const char *a, const char *b)
{
    uint32_t x[64], y[64];
    size_t n = code_points(a, x, 64), m = code_points(b, y, 64);
    size_t row[65];
    for (size_t j = 0; j <= m; j++)
        row[j] = j;
    for (size_t i = 1; i <= n; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= m; j++) {
            size_t up = row[j];
            size_t best = diag + (x[i - 1] != y[j - 1]);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[m];
}

/* text with every เเ (SARA E twice, as typed for SARA AE) made แ: a new string. */
static char *sara_ae(const char *text)
{
    char *out = mem_strdup(text);
    char *p;
    while ((p = strstr(out, "\xE0\xB9\x80\xE0\xB9\x80")) != NULL) {
        memcpy(p, "\xE0\xB9\x81", 3);
        memmove(p + 3, p + 6, strlen(p + 6) + 1);
    }
    return out;
}

/* Reports a province that is not one of the list, with the nearest; 0 when it is one. */
static int check_province(diag_t *dg, const yamldoc_node_t *list, const model_text_t *province)
{
    if (!province->text || !list || list->kind != YAMLDOC_KIND_SEQUENCE)
        return 0;
    for (size_t i = 0; i < list->count; i++)
        if (yamldoc_is(list->items[i], province->text))
            return 0;
    char *typed = sara_ae(province->text);
    const char *nearest = NULL;
    size_t best = SIZE_MAX;
    for (size_t i = 0; i < list->count; i++) {
        const yamldoc_node_t *p = list->items[i];
        if (p->kind != YAMLDOC_KIND_SCALAR)
            continue;
        size_t d = distance(typed, p->text);
        if (d < best) {
            best = d;
            nearest = p->text;
        }
    }
    int two_e = strcmp(typed, province->text) != 0 && best == 0;
    free(typed);
    if (two_e)
        diag_fail(dg, &province->pos, "places-province-sara-e-twice",
                  "'%s' is not one of Thailand's 77 provinces: it has เเ (SARA E typed twice) "
                  "where แ belongs (did you mean '%s'?)",
                  province->text, nearest);
    else if (nearest && best <= 2)
        diag_fail(dg, &province->pos, "places-province-did-you-mean",
                  "'%s' is not one of Thailand's 77 provinces (did you mean '%s'?)", province->text,
                  nearest);
    else
        diag_fail(dg, &province->pos, "places-province-unknown",
                  "'%s' is not one of Thailand's 77 provinces (templates/places.yaml lists "
                  "them, without the word จังหวัด)",
                  province->text);
    return -1;
}

/* The list read last in this process, by path and file stamp: read again only when the
 * file changes (a batch worker checks thousands of agencies against it). Kept only when
 * reading it said nothing, so that every caller sees its messages. */
static struct {
    char *path;
    filebuf_stamp_t stamp;
    yamldoc_t *doc;
} kept;

/* The list at path, from what is kept or read now; *owned is what the caller frees (NULL
 * when it is the kept one). NULL after reporting. */
static const yamldoc_t *places_doc(diag_t *dg, const char *path, yamldoc_t **owned)
{
    *owned = NULL;
    filebuf_stamp_t stamp;
    bool stamped = filebuf_stamp(path, &stamp) == 0;
    if (stamped && kept.doc && strcmp(kept.path, path) == 0 &&
        filebuf_stamp_equal(&kept.stamp, &stamp))
        return kept.doc;
    size_t before =
        diag_count(dg, DIAG_ERROR) + diag_count(dg, DIAG_WARNING) + diag_count(dg, DIAG_NOTE);
    yamldoc_t *doc = yamldoc_parse_file(dg, path, NULL);
    if (!doc)
        return NULL;
    if (!stamped ||
        diag_count(dg, DIAG_ERROR) + diag_count(dg, DIAG_WARNING) + diag_count(dg, DIAG_NOTE) !=
            before) {
        *owned = doc;
        return doc;
    }
    yamldoc_free(kept.doc);
    free(kept.path);
    kept.path = mem_strdup(path);
    kept.stamp = stamp;
    kept.doc = doc;
    return doc;
}

int places_check_agency(diag_t *dg, const char *data_dir, model_t *m)
{
    char *path = datadir_path(data_dir, "templates/places.yaml");
    if (access(path, F_OK) != 0) {
        free(path); /* a data folder of one's own without the list: nothing to check against */
        return 0;
    }
    yamldoc_t *owned;
    const yamldoc_t *doc = places_doc(dg, path, &owned);
    free(path);
    if (!doc)
        return -1;
    const yamldoc_node_t *prefixes = doc->root ? yamldoc_get(doc->root, "prefixes") : NULL;
    strip_prefix(yamldoc_get(prefixes, "province"), &m->agency.province);
    strip_prefix(yamldoc_get(prefixes, "district"), &m->agency.district);
    strip_prefix(yamldoc_get(prefixes, "subdistrict"), &m->agency.subdistrict);
    int rc = check_province(dg, doc->root ? yamldoc_get(doc->root, "provinces") : NULL,
                            &m->agency.province);
    const yamldoc_node_t *capital = doc->root ? yamldoc_get(doc->root, "capital") : NULL;
    m->agency.capital = m->agency.province.text && yamldoc_is(capital, m->agency.province.text);
    yamldoc_free(owned);
    return rc;
}
