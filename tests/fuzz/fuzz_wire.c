/* libFuzzer target over the wire decoder (what a batch parent reads from its workers):
 * bytes -> wire_decode. A frame that decodes must take no more bytes than it was given and
 * encode to bytes that decode to the same frame and encode again to the same bytes (a
 * record copy may fill an absent id, format or message with "", so the first encoding is
 * the fixed point, not the input); every prefix of an encoding is incomplete, not invalid;
 * each message escapes to one line. Built and run by `make fuzz`, seeded from
 * tests/fuzz/seeds-wire. */
#include "diag.h"
#include "wire.h"

#include "fuzz_common.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_silence();
    return 0;
}

static void check_one_line(const char *text)
{
    char *s = wire_escape(text);
    for (const char *p = s; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7F)
            abort();
    free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    wire_frame_t f;
    size_t used = 0;
    const char *why = NULL;
    wire_status_t st = wire_decode(data, size, &f, &used, &why);
    if (st == WIRE_INVALID && !why)
        abort();
    if (st != WIRE_OK)
        return 0;
    if (used > size || used < 4)
        abort();
    size_t len = 0;
    unsigned char *again = wire_encode(&f, &len, &why);
    if (!again || len > used)
        abort();
    /* Prefixes (a few, spread over the frame) are incomplete. */
    for (size_t cut = 0; cut < used; cut += 1 + used / 16) {
        wire_frame_t g;
        size_t u2 = 0;
        if (wire_decode(again, cut, &g, &u2, &why) != WIRE_INCOMPLETE)
            abort();
    }
    wire_frame_t back;
    if (wire_decode(again, len, &back, &used, &why) != WIRE_OK || used != len ||
        back.record_count != f.record_count || back.value_count != f.value_count)
        abort();
    size_t len2 = 0;
    unsigned char *third = wire_encode(&back, &len2, &why);
    if (!third || len2 != len || memcmp(third, again, len) != 0)
        abort();
    free(third);
    for (size_t i = 0; i < f.record_count; i++) {
        check_one_line(f.records[i]->message);
        check_one_line(f.records[i]->pos.file);
    }
    wire_frame_free(&back);
    wire_frame_free(&f);
    free(again);
    return 0;
}
