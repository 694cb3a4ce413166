/* libFuzzer target over output names: bytes (up to the first NUL) -> joblist_safe_name, the
 * one place that turns an agency's name into a file name. A name it returns must be what
 * joblist.h promises and what every file system takes: not empty, at most 180 bytes, no
 * control character and none of / \ : * ? " < > |, no leading dot, space or dash, no
 * trailing dot or space, valid UTF-8 whenever the text was, and unchanged when made safe
 * again. Built and run by `make fuzz`, seeds in tests/fuzz/seeds-names. */
#include "joblist.h"

#include "utf8.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

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
        size_t len = strlen(text);
        if (utf8_validate(text, len) == len && utf8_validate(name, n) != n)
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
