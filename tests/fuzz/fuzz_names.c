/* libFuzzer target over output names: bytes (up to the first NUL) -> joblist_safe_name, the
 * one place that turns an agency's name into a file name. A name it returns must be what
 * joblist.h promises and what every file system takes: not empty, at most 180 bytes, no
 * control character and none of / \ : * ? " < > |, no leading dot, space or dash, no
 * trailing dot or space, no bidi control or zero-width character, no Windows device name
 * (CON, NUL, COM1 ...), valid UTF-8 whatever the text, and unchanged when made safe
 * again. Built and run by `make fuzz`, seeds in tests/fuzz/seeds-names. */
#include "joblist.h"

#include "utf8.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The one call of the name maker. */
static char *safe_name(const char *text)
{
    return joblist_safe_name(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    char *name = safe_name(text);
    if (name) {
        size_t n = strlen(name);
        if (n == 0 || n > 180)
            abort();
        for (size_t i = 0; i < n; i++) {
            unsigned char c = (unsigned char)name[i];
            if (c < 0x20 || c == 0x7F || strchr("/\\:*?\"<>|", c))
                abort();
        }
        if (name[0] == '.' || name[0] == ' ' || name[0] == '-' || name[n - 1] == '.' ||
            name[n - 1] == ' ')
            abort();
        if (utf8_validate(name, n) != n)
            abort();
        /* No bidi control or zero-width character survives (U+202A-E, U+2066-9,
         * U+200B-F: E2 80 8B-8F / AA-AE, E2 81 A6-A9). */
        for (size_t i = 0; i + 2 < n; i++) {
            const unsigned char *p = (const unsigned char *)name + i;
            if (p[0] == 0xE2 && ((p[1] == 0x80 && ((p[2] >= 0x8B && p[2] <= 0x8F) ||
                                                   (p[2] >= 0xAA && p[2] <= 0xAE))) ||
                                 (p[1] == 0x81 && p[2] >= 0xA6 && p[2] <= 0xA9)))
                abort();
        }
        /* No Windows device name (CON, NUL, COM1 ...) before the first dot. */
        size_t stem = strcspn(name, ".");
        if ((stem == 3 && (strncasecmp(name, "CON", 3) == 0 || strncasecmp(name, "NUL", 3) == 0 ||
                           strncasecmp(name, "PRN", 3) == 0 || strncasecmp(name, "AUX", 3) == 0)) ||
            (stem == 4 && (strncasecmp(name, "COM", 3) == 0 || strncasecmp(name, "LPT", 3) == 0) &&
             name[3] >= '0' && name[3] <= '9'))
            abort();
        char *again = safe_name(name);
        if (!again || strcmp(again, name) != 0)
            abort();
        free(again);
    }
    free(name);
    free(text);
    return 0;
}
