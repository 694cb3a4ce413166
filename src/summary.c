/* summary — see summary.h. */
#include "summary.h"

#include "csvin.h"
#include "datadir.h"
#include "diag.h"
#include "mem.h"
#include "outfile.h"
#include "render.h"
#include "value.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef ITAREPORT_VERSION
#define ITAREPORT_VERSION "unknown"
#endif

static const char *const summary_names[SUMMARY_FIELD_COUNT] = {
    "file",   "agency", "type", "district", "province", "year",  "overall", "grade", "label",
    "passed", "IIT",    "EIT",  "OIT",      "status",   "error", "warning", "job",   "job_list",
};

const char *const summary_data_names[] = {
    "shard",
    "shard_count",
    "total",
    "ok_count",
    "failed_count",
    "scored_count",
    "passed_count",
    "passed_percent",
    "not_passed_count",
    "mean_overall",
    "grades[].grade",
    "grades[].count",
    "grades[].percent",
    "labels[].label",
    "labels[].count",
    "labels[].percent",
    "bands[].band",
    "bands[].count",
    "bands[].percent",
    "provinces[].name",
    "provinces[].count",
    "provinces[].mean",
    "provinces[].agencies[].rank",
    "provinces[].agencies[].name",
    "provinces[].agencies[].type",
    "provinces[].agencies[].district",
    "provinces[].agencies[].year",
    "provinces[].agencies[].overall",
    "provinces[].agencies[].grade",
    "provinces[].agencies[].label",
    "provinces[].agencies[].passed",
    "provinces[].agencies[].failed",
    "provinces[].agencies[].iit",
    "provinces[].agencies[].eit",
    "provinces[].agencies[].oit",
    "provinces[].agencies[].file",
    "failures[].file",
    "failures[].agency",
    "failures[].error",
    "years_text",
    "several_years",
    "years[].year",
    "years[].total",
    "years[].ok_count",
    "years[].failed_count",
    "years[].scored_count",
    "years[].passed_count",
    "years[].passed_percent",
    "years[].not_passed_count",
    "years[].mean_overall",
    "years[].grades[].grade",
    "years[].grades[].count",
    "years[].grades[].percent",
    "years[].labels[].label",
    "years[].labels[].count",
    "years[].labels[].percent",
    "years[].bands[].band",
    "years[].bands[].count",
    "years[].bands[].percent",
    "years[].provinces[].name",
    "years[].provinces[].count",
    "years[].provinces[].mean",
    "years[].provinces[].agencies[].rank",
    "years[].provinces[].agencies[].name",
    "years[].provinces[].agencies[].type",
    "years[].provinces[].agencies[].district",
    "years[].provinces[].agencies[].year",
    "years[].provinces[].agencies[].overall",
    "years[].provinces[].agencies[].grade",
    "years[].provinces[].agencies[].label",
    "years[].provinces[].agencies[].passed",
    "years[].provinces[].agencies[].failed",
    "years[].provinces[].agencies[].iit",
    "years[].provinces[].agencies[].eit",
    "years[].provinces[].agencies[].oit",
    "years[].provinces[].agencies[].file",
    NULL,
};

summary_t *summary_new(void)
{
    return mem_zalloc(1, sizeof(summary_t));
}

void summary_free(summary_t *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->count; i++)
        for (int f = 0; f < SUMMARY_FIELD_COUNT; f++)
            free(s->rows[i].fields[f]);
    free(s->rows);
    free(s);
}

summary_row_t *summary_add_row(summary_t *s)
{
    s->rows = mem_array_grow(s->rows, &s->capacity, s->count + 1, sizeof *s->rows);
    summary_row_t *row = &s->rows[s->count++];
    for (int f = 0; f < SUMMARY_FIELD_COUNT; f++)
        row->fields[f] = mem_strdup("");
    return row;
}

void summary_set(summary_row_t *row, summary_field_t field, const char *text)
{
    free(row->fields[field]);
    row->fields[field] = mem_strdup(text ? text : "");
}

/* ---- CSV -------------------------------------------------------------------------------- */

/* A cell that a spreadsheet would take as a formula (= + - @ first, or a TAB or CR, also
 * after apostrophes already there) and that is not a plain number: written after an
 * apostrophe, which Excel and LibreOffice show the text behind. summary_read_csv drops
 * it again, so that a shard read back gives the text it was made from. */
static bool summary_is_number(const char *text)
{
    const char *p = text + (*text == '-' || *text == '+');
    size_t whole = strspn(p, "0123456789");
    if (!whole)
        return false;
    p += whole;
    if (*p == '.') {
        size_t frac = strspn(p + 1, "0123456789");
        if (!frac)
            return false;
        p += 1 + frac;
    }
    return *p == '\0';
}

static bool summary_formula_like(const char *text)
{
    const char *p = text + strspn(text, "'");
    return *p && strchr("=+-@\t\r", *p) && !summary_is_number(text);
}

static void write_csv_field(FILE *out, const char *text)
{
    const char *guard = summary_formula_like(text) ? "'" : "";
    if (!text[0] || !strpbrk(text, ",\"\r\n")) {
        fprintf(out, "%s%s", guard, text);
        return;
    }
    fprintf(out, "\"%s", guard);
    for (const char *p = text; *p; p++) {
        if (*p == '"')
            fputc('"', out);
        fputc(*p, out);
    }
    fputc('"', out);
}

int summary_write_csv(diag_t *dg, const summary_t *s, const char *path)
{
    outfile_t *out = outfile_open(dg, path);
    if (!out)
        return -1;
    FILE *f = outfile_stream(out);
    fputs("\xEF\xBB\xBF", f);
    for (int c = 0; c < SUMMARY_FIELD_COUNT; c++)
        fprintf(f, "%s%s", c ? "," : "", summary_names[c]);
    fputs("\r\n", f);
    for (size_t i = 0; i < s->count; i++) {
        for (int c = 0; c < SUMMARY_FIELD_COUNT; c++) {
            if (c)
                fputc(',', f);
            write_csv_field(f, s->rows[i].fields[c]);
        }
        fputs("\r\n", f);
    }
    return outfile_commit(dg, out);
}

static int64_t parse_score(const char *text);

/* The figures of a row read back are scores or empty: anything else (a 23-digit figure)
 * is refused, not read as a wrong number. */
static bool summary_check_figures(diag_t *dg, const char *path, int line, const summary_row_t *row)
{
    static const summary_field_t figures[] = {SUMMARY_OVERALL, SUMMARY_IIT, SUMMARY_EIT,
                                              SUMMARY_OIT};
    for (size_t i = 0; i < sizeof figures / sizeof figures[0]; i++) {
        const char *text = row->fields[figures[i]];
        int64_t v = parse_score(text);
        if (text[0] && (v < 0 || v > 100 * 10000)) {
            diag_pos_t pos = {.file = path, .line = line, .column = 0};
            diag_fail(dg, &pos, "summary-not-a-score",
                      "not a summary: '%s' in the column %s is not a score from 0 to 100", text,
                      summary_names[figures[i]]);
            return false;
        }
    }
    return true;
}

int summary_read_csv(diag_t *dg, summary_t *s, const char *path)
{
    csvin_row_t *rows = NULL;
    size_t count = 0;
    if (csvin_read_rows(dg, path, &rows, &count) != 0)
        return -1;
    int rc = 0;
    int map[SUMMARY_FIELD_COUNT];
    for (int c = 0; c < SUMMARY_FIELD_COUNT; c++) {
        map[c] = -1;
        for (size_t k = 0; count && k < rows[0].count; k++)
            if (strcmp(rows[0].cells[k].text, summary_names[c]) == 0)
                map[c] = (int)k;
        if (map[c] < 0) {
            diag_pos_t pos = {.file = path, .line = 1, .column = 0};
            diag_fail(dg, &pos, "summary-summary-column-missing",
                      "not a summary: the column '%s' is missing", summary_names[c]);
            rc = -1;
            break;
        }
    }
    for (size_t r = 1; rc == 0 && r < count; r++) {
        summary_row_t *row = summary_add_row(s);
        for (int c = 0; c < SUMMARY_FIELD_COUNT; c++)
            if ((size_t)map[c] < rows[r].count) {
                const char *text = rows[r].cells[map[c]].text;
                /* The apostrophe write_csv_field put before a formula-like text. */
                if (text[0] == '\'' && summary_formula_like(text + 1))
                    text++;
                summary_set(row, (summary_field_t)c, text);
            }
        if (!row->fields[SUMMARY_FILE][0]) {
            /* Every row of a summary names its report (found by fuzz_summary: a row with
             * only unknown columns filled came back empty, and an empty row is skipped). */
            diag_pos_t pos = {.file = path, .line = rows[r].line, .column = 0};
            diag_fail(dg, &pos, "summary-row-without-file",
                      "not a summary: a row without a file name");
            rc = -1;
        } else if (!summary_check_figures(dg, path, rows[r].line, row)) {
            rc = -1;
        }
    }
    csvin_free_rows(rows, count);
    return rc;
}

/* "K/TOTAL" into its numbers (1 <= K <= TOTAL, digits only, range-checked); 0 or -1. */
static int summary_parse_job(const char *text, size_t *k, size_t *total)
{
    size_t v[2] = {0, 0};
    const char *p = text;
    for (int i = 0; i < 2; i++) {
        size_t digits = 0;
        for (; *p >= '0' && *p <= '9'; p++, digits++)
            if ((v[i] = v[i] * 10 + (size_t)(*p - '0')) > 1000000000)
                return -1;
        if (!digits || *p != (i == 0 ? '/' : '\0'))
            return -1;
        p++;
    }
    if (v[0] < 1 || v[0] > v[1])
        return -1;
    *k = v[0];
    *total = v[1];
    return 0;
}

/* The slice [*lo, *hi) shard k of n holds of total jobs (as joblist_shard cuts it). */
static void summary_slice(size_t total, int k, int n, size_t *lo, size_t *hi)
{
    *lo = total * (size_t)(k - 1) / (size_t)n;
    *hi = total * (size_t)k / (size_t)n;
}

static void summary_wrong_jobs(diag_t *dg, const diag_pos_t *pos, int k, int n, size_t total,
                               const char *path, size_t rows, size_t job)
{
    size_t lo, hi;
    summary_slice(total, k, n, &lo, &hi);
    diag_fail(dg, pos, "summary-shard-wrong-jobs",
              "shard %d of %d should hold jobs %zu to %zu of %zu, but '%s' holds %zu rows "
              "(job %zu here): a shard is missing, doubled or from another run",
              k, n, lo + 1, hi, total, path, rows, job);
}

int summary_check_shards(diag_t *dg, const summary_t *s, int shard_count, const char *const *paths,
                         const size_t *rows)
{
    size_t total = 0, at = 0;
    const char *list = NULL, *list_path = NULL;
    int bad = 0;
    for (int k = 1; k <= shard_count && !bad; k++) {
        for (size_t r = 0; r < rows[k] && !bad; r++) {
            const summary_row_t *row = &s->rows[at + r];
            size_t job = 0, of = 0;
            diag_pos_t pos = {.file = paths[k], .line = (int)(r + 2), .column = 0};
            if (summary_parse_job(row->fields[SUMMARY_JOB], &job, &of) != 0 ||
                strlen(row->fields[SUMMARY_JOB_LIST]) != 32) {
                diag_fail(dg, &pos, "summary-shard-job-unreadable",
                          "not a shard summary: the row's job '%s' or job list '%s' cannot be "
                          "read",
                          row->fields[SUMMARY_JOB], row->fields[SUMMARY_JOB_LIST]);
                bad = 1;
            } else if (!list) {
                list = row->fields[SUMMARY_JOB_LIST];
                list_path = paths[k];
                total = of;
            }
            if (bad)
                break;
            if (strcmp(list, row->fields[SUMMARY_JOB_LIST]) != 0 || of != total) {
                diag_fail(dg, &pos, "summary-shard-other-job-list",
                          "'%s' is a shard of another job list than '%s' (%s of %zu jobs, not "
                          "%s of %zu): they were made from different inputs and cannot be "
                          "merged",
                          paths[k], list_path, row->fields[SUMMARY_JOB_LIST], of, list, total);
                bad = 1;
                break;
            }
            /* Shard k of n holds the jobs [total*(k-1)/n, total*k/n), in order. */
            size_t lo, hi;
            summary_slice(total, k, shard_count, &lo, &hi);
            if (rows[k] != hi - lo || job != lo + r + 1) {
                summary_wrong_jobs(dg, &pos, k, shard_count, total, paths[k], rows[k], job);
                bad = 1;
            }
        }
        at += rows[k];
    }
    /* Shards without rows (more shards than jobs) must all be empty as well. */
    for (int k = 1; k <= shard_count && !bad && list; k++) {
        size_t lo, hi;
        summary_slice(total, k, shard_count, &lo, &hi);
        if (rows[k] != hi - lo) {
            diag_pos_t pos = {.file = paths[k], .line = 1, .column = 0};
            summary_wrong_jobs(dg, &pos, k, shard_count, total, paths[k], rows[k], 0);
            bad = 1;
        }
    }
    return bad ? -1 : 0;
}

/* ---- the data the template reads -------------------------------------------------------- */

/* A score text ("84.14") as a count of 10^-4; -1 when it is not one. */
static int64_t parse_score(const char *text)
{
    if (!text[0])
        return -1;
    int64_t whole = 0, frac = 0;
    int places = 0;
    const char *p = text;
    for (; *p >= '0' && *p <= '9'; p++)
        if ((whole = whole * 10 + (*p - '0')) > 1000000)
            return -1; /* before it could overflow (a 23-digit figure) */
    if (*p == '.')
        for (p++; *p >= '0' && *p <= '9'; p++)
            if (places < 4) {
                frac = frac * 10 + (*p - '0');
                places++;
            }
    if (*p || whole > 1000000)
        return -1;
    while (places++ < 4)
        frac *= 10;
    return whole * 10000 + frac;
}

/* A key that sorts Thai words in dictionary order: a leading vowel (เ แ โ ใ ไ) goes after
 * the consonant it is written before. A new string. */
static char *sort_key_of(const char *s)
{
    size_t n = strlen(s);
    char *k = mem_alloc(n + 1);
    memcpy(k, s, n + 1);
    for (size_t i = 0; i + 6 <= n; i++) {
        unsigned char *p = (unsigned char *)k + i;
        if (p[0] == 0xE0 && p[1] == 0xB9 && p[2] >= 0x80 && p[2] <= 0x84 && p[3] == 0xE0 &&
            (p[4] == 0xB8 || p[4] == 0xB9)) {
            unsigned char v[3] = {p[0], p[1], p[2]};
            memmove(p, p + 3, 3);
            memcpy(p + 3, v, 3);
            i += 5;
        }
    }
    return k;
}

typedef struct summary_item {
    const summary_row_t *row;
    int64_t overall; /* -1: none */
    char *province_key, *name_key;
} summary_item_t;

static int compare_items(const void *a, const void *b)
{
    const summary_item_t *x = a, *y = b;
    int c = strcmp(x->province_key, y->province_key);
    if (c)
        return c;
    if (x->overall != y->overall)
        return x->overall > y->overall ? -1 : 1;
    c = strcmp(x->name_key, y->name_key);
    if (c)
        return c;
    return strcmp(x->row->fields[SUMMARY_FILE], y->row->fields[SUMMARY_FILE]);
}

/* Percent of total, one decimal. */
static value_t *percent_value(size_t count, size_t total)
{
    return value_number(total ? (int64_t)((count * 2000 + total) / (2 * total)) : 0, 1);
}

/* A list of {key: text, count, percent} for each distinct value of a field among the rows
 * with a figure, ordered from the best overall down (grades and labels in their order). */
static value_t *count_by_field(const summary_item_t *items, size_t n, summary_field_t field,
                               const char *key, size_t total)
{
    const char **names = mem_zalloc(n + 1, sizeof *names);
    int64_t *best = mem_zalloc(n + 1, sizeof *best);
    size_t *counts = mem_zalloc(n + 1, sizeof *counts);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        const char *v = items[i].row->fields[field];
        if (!v[0] || items[i].overall < 0)
            continue;
        size_t j = 0;
        while (j < k && strcmp(names[j], v) != 0)
            j++;
        if (j == k) {
            names[k] = v;
            best[k++] = items[i].overall;
        }
        counts[j]++;
        if (items[i].overall > best[j])
            best[j] = items[i].overall;
    }
    /* Insertion sort by best overall, descending (k is small). */
    for (size_t i = 1; i < k; i++)
        for (size_t j = i; j > 0 && (best[j] > best[j - 1] || (best[j] == best[j - 1] &&
                                                               strcmp(names[j], names[j - 1]) < 0));
             j--) {
            const char *tn = names[j];
            names[j] = names[j - 1];
            names[j - 1] = tn;
            int64_t tb = best[j];
            best[j] = best[j - 1];
            best[j - 1] = tb;
            size_t tc = counts[j];
            counts[j] = counts[j - 1];
            counts[j - 1] = tc;
        }
    value_t *list = value_list();
    for (size_t i = 0; i < k; i++) {
        value_t *e = value_push(list, value_map());
        value_set(e, key, value_text(names[i]));
        value_set(e, "count", value_int((int64_t)counts[i]));
        value_set(e, "percent", percent_value(counts[i], total));
    }
    free(names);
    free(best);
    free(counts);
    return list;
}

static void push_band(value_t *list, char *label, size_t count, size_t total)
{
    value_t *m = value_push(list, value_map());
    value_set(m, "band", value_text(label));
    value_set(m, "count", value_int((int64_t)count));
    value_set(m, "percent", percent_value(count, total));
    free(label);
}

/* Equal bands `width` wide (wording.bands: {width: W, top: T}): from the multiple of W at
 * or below the lowest score up to T (default 100), the last band closed at T, so that a
 * histogram's bars stand for equal spans of score. */
static value_t *equal_bands(const summary_item_t *items, size_t n, const value_t *spec,
                            size_t total)
{
    value_t *list = value_list();
    char *text = value_to_text(value_child(spec, "width", 5), "");
    int64_t width = parse_score(text);
    free(text);
    const value_t *top_v = value_child(spec, "top", 3);
    text = top_v ? value_to_text(top_v, "") : mem_strdup("100");
    int64_t top = parse_score(text);
    free(text);
    if (width <= 0 || top <= 0)
        return list;
    int64_t low = -1;
    for (size_t i = 0; i < n; i++)
        if (items[i].overall >= 0 && (low < 0 || items[i].overall < low))
            low = items[i].overall;
    if (low < 0)
        return list;
    int64_t unit = 10000;
    for (int64_t lo = (low / width) * width; lo < top; lo += width) {
        int64_t hi = lo + width;
        size_t count = 0;
        for (size_t i = 0; i < n; i++)
            if (items[i].overall >= lo &&
                (items[i].overall < hi || (hi >= top && items[i].overall <= top)))
                count++;
        /* whole points when the edges are whole (they are for any sensible width) */
        char *label = lo % unit == 0 && hi % unit == 0
                          ? mem_printf("%lld–%lld", (long long)(lo / unit), (long long)(hi / unit))
                          : mem_printf("%.2f–%.2f", (double)lo / unit, (double)hi / unit);
        push_band(list, label, count, total);
    }
    return list;
}

/* Score bands from the template's wording.bands: equal ones ({width: W}) or a list of
 * ascending lower bounds. */
static value_t *count_by_band(const summary_item_t *items, size_t n, const value_t *wording,
                              size_t total)
{
    const value_t *edges = value_child(wording, "bands", 5);
    if (edges && edges->kind == VALUE_MAP)
        return equal_bands(items, n, edges, total);
    value_t *list = value_list();
    size_t e = edges && edges->kind == VALUE_LIST ? edges->count : 0;
    for (size_t b = 0; b <= e; b++) {
        /* Band b: [edge b-1, edge b); the first from 0, the last to the top. */
        int64_t lo = -1, hi = INT64_MAX;
        char *lo_text = NULL, *hi_text = NULL;
        if (b > 0) {
            lo_text = value_to_text(edges->items[b - 1], "");
            lo = parse_score(lo_text);
        }
        if (b < e) {
            hi_text = value_to_text(edges->items[b], "");
            hi = parse_score(hi_text);
        }
        size_t count = 0;
        for (size_t i = 0; i < n; i++)
            if (items[i].overall >= 0 && items[i].overall >= lo && items[i].overall < hi)
                count++;
        char *label = b == 0   ? mem_printf("< %s", hi_text ? hi_text : "")
                      : b == e ? mem_printf("%s+", lo_text)
                               : mem_printf("%s–%s", lo_text, hi_text);
        push_band(list, label, count, total);
        free(lo_text);
        free(hi_text);
    }
    return list;
}

/* The mean of some scores (10^-4) as a two-place number. */
static value_t *mean_value(int64_t sum, size_t count)
{
    if (!count)
        return value_null();
    int64_t mean4 = sum / (int64_t)count;
    return value_number((mean4 + 50) / 100, 2);
}

/* The counts, averages, grades, labels, bands and the ranking by province of the items
 * (rows of one fiscal year, or all) into v. */
static void put_figures(value_t *v, summary_item_t *items, size_t n, const value_t *wording)
{
    size_t ok = 0, failed = 0, passed = 0, scored = 0;
    int64_t sum = 0;
    for (size_t i = 0; i < n; i++) {
        const summary_row_t *row = items[i].row;
        int is_ok = strcmp(row->fields[SUMMARY_STATUS], "ok") == 0;
        ok += is_ok;
        failed += !is_ok;
        if (items[i].overall >= 0) {
            scored++;
            sum += items[i].overall;
            passed += strcmp(row->fields[SUMMARY_PASSED], "true") == 0;
        }
    }
    value_set(v, "total", value_int((int64_t)n));
    value_set(v, "ok_count", value_int((int64_t)ok));
    value_set(v, "failed_count", value_int((int64_t)failed));
    value_set(v, "scored_count", value_int((int64_t)scored));
    value_set(v, "passed_count", value_int((int64_t)passed));
    value_set(v, "passed_percent", percent_value(passed, scored));
    value_set(v, "not_passed_count", value_int((int64_t)(scored - passed)));
    value_set(v, "mean_overall", mean_value(sum, scored));
    value_set(v, "grades", count_by_field(items, n, SUMMARY_GRADE, "grade", scored));
    value_set(v, "labels", count_by_field(items, n, SUMMARY_LABEL, "label", scored));
    value_set(v, "bands", count_by_band(items, n, wording, scored));

    /* The ranking, by province. */
    qsort(items, n, sizeof *items, compare_items);
    value_t *provinces = value_set(v, "provinces", value_list());
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && strcmp(items[j].province_key, items[i].province_key) == 0)
            j++;
        size_t in_province = 0, scored_here = 0;
        int64_t sum_here = 0;
        value_t *agencies = value_list();
        size_t rank = 0;
        for (size_t k = i; k < j; k++) {
            const summary_row_t *row = items[k].row;
            if (items[k].overall < 0)
                continue;
            in_province++;
            scored_here++;
            sum_here += items[k].overall;
            if (k == i || items[k].overall != items[k - 1].overall)
                rank = in_province;
            value_t *a = value_push(agencies, value_map());
            value_set(a, "rank", value_int((int64_t)rank));
            value_set(a, "name", value_text(row->fields[SUMMARY_AGENCY]));
            value_set(a, "type", value_text(row->fields[SUMMARY_TYPE]));
            value_set(a, "district", value_text(row->fields[SUMMARY_DISTRICT]));
            value_set(a, "year", value_text(row->fields[SUMMARY_YEAR]));
            value_set(a, "overall", value_text(row->fields[SUMMARY_OVERALL]));
            value_set(a, "grade", value_text(row->fields[SUMMARY_GRADE]));
            value_set(a, "label", value_text(row->fields[SUMMARY_LABEL]));
            value_set(a, "passed", value_bool(strcmp(row->fields[SUMMARY_PASSED], "true") == 0));
            value_set(a, "failed", value_bool(strcmp(row->fields[SUMMARY_PASSED], "true") != 0));
            value_set(a, "iit", value_text(row->fields[SUMMARY_IIT]));
            value_set(a, "eit", value_text(row->fields[SUMMARY_EIT]));
            value_set(a, "oit", value_text(row->fields[SUMMARY_OIT]));
            value_set(a, "file", value_text(row->fields[SUMMARY_FILE]));
        }
        if (agencies->count) {
            value_t *p = value_push(provinces, value_map());
            value_set(p, "name", value_text(items[i].row->fields[SUMMARY_PROVINCE]));
            value_set(p, "count", value_int((int64_t)in_province));
            value_set(p, "mean", mean_value(sum_here, scored_here));
            value_set(p, "agencies", agencies);
        } else {
            value_free(agencies);
        }
        i = j;
    }
}

static int compare_years(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static value_t *build_data(const summary_t *s, int shard, int shard_count, const value_t *wording)
{
    value_t *root = value_map();
    value_set(root, "shard", value_int(shard));
    value_set(root, "shard_count", value_int(shard_count));
    size_t n = s->count;
    summary_item_t *items = mem_zalloc(n + 1, sizeof *items);
    for (size_t i = 0; i < n; i++) {
        const summary_row_t *row = &s->rows[i];
        items[i].row = row;
        int is_ok = strcmp(row->fields[SUMMARY_STATUS], "ok") == 0;
        items[i].overall = is_ok ? parse_score(row->fields[SUMMARY_OVERALL]) : -1;
        items[i].province_key = sort_key_of(row->fields[SUMMARY_PROVINCE]);
        items[i].name_key = sort_key_of(row->fields[SUMMARY_AGENCY]);
    }
    /* The fiscal years of the rows, oldest first: counts and averages are per year (a
     * batch may mix agencies of several years, whose scores are not comparable). */
    const char **years = mem_zalloc(n + 1, sizeof *years);
    size_t year_count = 0;
    for (size_t i = 0; i < n; i++) {
        const char *y = s->rows[i].fields[SUMMARY_YEAR];
        bool seen = !y[0];
        for (size_t k = 0; k < year_count && !seen; k++)
            seen = strcmp(years[k], y) == 0;
        if (!seen)
            years[year_count++] = y;
    }
    qsort(years, year_count, sizeof *years, compare_years);
    char *years_text = mem_strdup("");
    for (size_t k = 0; k < year_count; k++) {
        char *next = mem_printf("%s%s%s", years_text,
                                k == 0                ? ""
                                : k + 1 == year_count ? " และ "
                                                      : ", ",
                                years[k]);
        free(years_text);
        years_text = next;
    }
    value_set(root, "years_text", value_text(years_text));
    free(years_text);
    value_set(root, "several_years", value_bool(year_count > 1));
    value_t *per_year = value_set(root, "years", value_list());
    summary_item_t *subset = mem_zalloc(n + 1, sizeof *subset);
    for (size_t k = 0; k < year_count; k++) {
        size_t m = 0;
        for (size_t i = 0; i < n; i++)
            if (strcmp(items[i].row->fields[SUMMARY_YEAR], years[k]) == 0)
                subset[m++] = items[i];
        value_t *y = value_push(per_year, value_map());
        value_set(y, "year", value_text(years[k]));
        put_figures(y, subset, m, wording);
    }
    free(subset);
    free(years);
    put_figures(root, items, n, wording);
    /* What failed, in input order. */
    value_t *failures = value_set(root, "failures", value_list());
    for (size_t i = 0; i < n; i++) {
        const summary_row_t *row = &s->rows[i];
        if (strcmp(row->fields[SUMMARY_STATUS], "ok") == 0)
            continue;
        value_t *f = value_push(failures, value_map());
        value_set(f, "file", value_text(row->fields[SUMMARY_FILE]));
        value_set(f, "agency", value_text(row->fields[SUMMARY_AGENCY]));
        value_set(f, "error", value_text(row->fields[SUMMARY_ERROR]));
    }
    for (size_t i = 0; i < n; i++) {
        free(items[i].province_key);
        free(items[i].name_key);
    }
    free(items);
    return root;
}

/* ---- the PDF ------------------------------------------------------------------------------ */

/* The rows as one text, for the document's fingerprint. */
static char *rows_text(const summary_t *s, size_t *len)
{
    size_t cap = 1024, n = 0;
    char *buf = mem_alloc(cap);
    for (size_t i = 0; i < s->count; i++)
        for (int f = 0; f < SUMMARY_FIELD_COUNT; f++) {
            size_t l = strlen(s->rows[i].fields[f]);
            if (n + l + 2 > cap) {
                while (n + l + 2 > cap)
                    cap *= 2;
                buf = mem_realloc(buf, cap);
            }
            memcpy(buf + n, s->rows[i].fields[f], l);
            n += l;
            buf[n++] = f + 1 < SUMMARY_FIELD_COUNT ? '\t' : '\n';
        }
    *len = n;
    return buf;
}

int summary_write_pdf(renderer_t *r, const summary_t *s, const char *data_dir, int shard,
                      int shard_count, const char *path)
{
    int rc = -1;
    char *template_path = datadir_path(data_dir, "templates/summary/report.yaml");
    const tmpl_t *t = render_template(r, template_path, summary_data_names);
    value_t *data = NULL;
    char *text = NULL;
    if (!t)
        goto done;
    data = build_data(s, shard, shard_count, t->wording);
    size_t len = 0;
    text = rows_text(s, &len);
    render_meta_t meta = {.creator = "itareport " ITAREPORT_VERSION,
                          .source = (const unsigned char *)text,
                          .source_size = len};
    rc = render_data(r, t, data, t->thai_digits, NULL, &meta, path, false);
done:
    free(text);
    value_free(data);
    free(template_path);
    return rc;
}
