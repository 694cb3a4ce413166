/* fingerprint — see fingerprint.h. */
#include "fingerprint.h"

#include "datadir.h"
#include "diag.h"
#include "mem.h"
#include "tmplext.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef ITAREPORT_VERSION
#define ITAREPORT_VERSION "unknown"
#endif

typedef struct hasher {
    uint64_t a, b;
} hasher_t;

static void hash_bytes(hasher_t *h, const void *data, size_t len)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < len; i++) {
        h->a = (h->a ^ p[i]) * 1099511628211ULL;
        h->b = (h->b ^ p[i]) * 0x100000001b3ULL + 0x9E3779B97F4A7C15ULL;
    }
}

/* Hashes a file's length and bytes; a missing optional file hashes as absent. */
static int hash_file(diag_t *dg, hasher_t *h, const char *path, int optional)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        if (optional && errno == ENOENT) {
            hash_bytes(h, "-", 1);
            return 0;
        }
        diag_fail(dg, NULL, "fingerprint-cannot-read", "cannot read '%s': %s", path,
                  strerror(errno));
        return -1;
    }
    unsigned char buf[65536];
    size_t n, total = 0;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
        hash_bytes(h, buf, n);
        total += n;
    }
    int failed = ferror(f);
    fclose(f);
    hash_bytes(h, &total, sizeof total);
    if (failed) {
        diag_fail(dg, NULL, "fingerprint-cannot-read-file", "cannot read '%s'", path);
        return -1;
    }
    return 0;
}

/* Hashes the program version and the template files, those of every folder the report
 * template extends included (tmplext.h). */
static int hash_sources(diag_t *dg, hasher_t *h, const char *template_dir)
{
    hash_bytes(h, ITAREPORT_VERSION, strlen(ITAREPORT_VERSION));
    static const char *const files[] = {"framework.yaml", "report.yaml", "wording.yaml"};
    char *dir = mem_strdup(template_dir);
    for (int depth = 0; dir && depth < 8; depth++) {
        for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
            char *path = datadir_path(dir, files[i]);
            int rc = hash_file(dg, h, path, i == 2 || (i == 0 && depth > 0));
            free(path);
            if (rc != 0) {
                free(dir);
                return -1;
            }
        }
        char *base = tmplext_base_folder(dg, dir);
        free(dir);
        dir = base;
    }
    free(dir);
    return 0;
}

static void hash_hex(const hasher_t *h, char out[FINGERPRINT_HEX])
{
    snprintf(out, FINGERPRINT_HEX, "%016llx%016llx", (unsigned long long)h->a,
             (unsigned long long)h->b);
}

int fingerprint_of_buffer(diag_t *dg, const unsigned char *data, size_t size,
                          const char *template_dir, char out[FINGERPRINT_HEX])
{
    hasher_t h = {1469598103934665603ULL, 0x84222325CBF29CE4ULL};
    if (hash_sources(dg, &h, template_dir) != 0)
        return -1;
    hash_bytes(&h, data, size);
    hash_bytes(&h, &size, sizeof size);
    hash_hex(&h, out);
    return 0;
}

int fingerprint_of(diag_t *dg, const char *input, const char *template_dir,
                   char out[FINGERPRINT_HEX])
{
    hasher_t h = {1469598103934665603ULL, 0x84222325CBF29CE4ULL};
    if (hash_sources(dg, &h, template_dir) != 0 || hash_file(dg, &h, input, 0) != 0)
        return -1;
    hash_hex(&h, out);
    return 0;
}

int fingerprint_read_pdf(const char *pdf, char out[FINGERPRINT_HEX])
{
    FILE *f = fopen(pdf, "rb");
    if (!f)
        return -1;
    static const char key[] = "/ITAReportFingerprint (";
    char buf[65536 + sizeof key + FINGERPRINT_HEX];
    size_t keep = 0, n;
    int found = -1;
    /* Scan in blocks, keeping a tail so that a key split between blocks is found. */
    while ((n = fread(buf + keep, 1, sizeof buf - keep - 1, f)) > 0) {
        size_t len = keep + n;
        buf[len] = '\0';
        for (size_t at = 0; at + sizeof key - 1 <= len; at++) {
            if (buf[at] != '/' || memcmp(buf + at, key, sizeof key - 1) != 0)
                continue;
            const char *hex = buf + at + sizeof key - 1;
            if ((size_t)(hex - buf) + 32 < len && strspn(hex, "0123456789abcdef") >= 32 &&
                hex[32] == ')') {
                memcpy(out, hex, 32);
                out[32] = '\0';
                found = 0;
            }
        }
        keep = len < sizeof key + FINGERPRINT_HEX ? len : sizeof key + FINGERPRINT_HEX;
        memmove(buf, buf + len - keep, keep);
    }
    fclose(f);
    return found;
}
