/* Unit tests for json: layout, commas, escaping, UTF-8 passthrough, numbers as text. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void test_document(void **state)
{
    (void)state;
    char *buf = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&buf, &size);
    json_writer_t *w = json_writer_new(out);
    json_begin_object(w);
    json_key(w, "agency");
    json_string(w, "อบต.เสอเพลอ \"ก\"\\\n\t\x01");
    json_key(w, "overall");
    json_number_text(w, "84.14");
    json_key(w, "passed");
    json_bool(w, false);
    json_key(w, "year");
    json_int(w, -2566);
    json_key(w, "none");
    json_string(w, NULL);
    json_key(w, "empty");
    json_begin_array(w);
    json_end_array(w);
    json_key(w, "list");
    json_begin_array(w);
    json_int(w, 1);
    json_begin_object(w);
    json_end_object(w);
    json_end_array(w);
    json_end_object(w);
    json_writer_free(w);
    fclose(out);
    assert_string_equal(buf, "{\n"
                             "  \"agency\": \"อบต.เสอเพลอ \\\"ก\\\"\\\\\\n\\t\\u0001\",\n"
                             "  \"overall\": 84.14,\n"
                             "  \"passed\": false,\n"
                             "  \"year\": -2566,\n"
                             "  \"none\": null,\n"
                             "  \"empty\": [],\n"
                             "  \"list\": [\n"
                             "    1,\n"
                             "    {}\n"
                             "  ]\n"
                             "}\n");
    free(buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_document),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
