/* catalogue — the frameworks and provinces as JSON for the web form; see catalogue.h. */
#include "catalogue.h"

#include "datadir.h"
#include "decimal.h"
#include "framework.h"
#include "json.h"
#include "mem.h"
#include "yamldoc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void write_framework(json_writer_t *w, const framework_t *fw)
{
    char buf[32];
    json_begin_object(w);
    json_key(w, "id");
    json_string(w, fw->id);
    json_key(w, "title");
    json_string(w, fw->title);
    json_key(w, "fiscal_year");
    json_int(w, fw->fiscal_year);
    json_key(w, "provisional");
    json_bool(w, fw->provisional);
    json_key(w, "decimals");
    json_int(w, fw->decimals);
    json_key(w, "score_min");
    json_int(w, fw->score_min);
    json_key(w, "score_max");
    json_int(w, fw->score_max);
    json_key(w, "pass_mark");
    json_number_text(w, decimal_format_scaled(fw->pass_mark, fw->decimals, buf, sizeof buf));
    json_key(w, "agency_types");
    json_begin_array(w);
    for (size_t i = 0; i < fw->agency_type_count; i++)
        json_string(w, fw->agency_types[i]);
    json_end_array(w);
    json_key(w, "tools");
    json_begin_array(w);
    for (size_t t = 0; t < fw->tool_count; t++) {
        const framework_tool_t *tool = &fw->tools[t];
        json_begin_object(w);
        json_key(w, "id");
        json_string(w, tool->id);
        json_key(w, "code");
        json_string(w, tool->code);
        json_key(w, "name");
        json_string(w, tool->name);
        json_key(w, "parts");
        json_begin_array(w);
        for (size_t p = 0; p < tool->part_count; p++) {
            json_begin_object(w);
            json_key(w, "key");
            json_string(w, tool->parts[p].key);
            json_key(w, "name");
            json_string(w, tool->parts[p].name);
            json_end_object(w);
        }
        json_end_array(w);
        json_key(w, "indicators");
        json_begin_array(w);
        for (size_t i = 0; i < fw->indicator_count; i++) {
            const framework_indicator_t *ind = &fw->indicators[i];
            if (ind->tool != t)
                continue;
            json_begin_object(w);
            json_key(w, "number");
            json_int(w, ind->number);
            json_key(w, "name");
            json_string(w, ind->name);
            json_key(w, "questions");
            json_begin_array(w);
            for (size_t q = 0; q < ind->question_count; q++) {
                const framework_question_t *fq = &fw->questions[ind->questions[q]];
                json_begin_object(w);
                json_key(w, "id");
                json_string(w, fq->id);
                json_key(w, "text");
                json_string(w, fq->text);
                json_end_object(w);
            }
            json_end_array(w);
            json_end_object(w);
        }
        json_end_array(w);
        json_key(w, "items");
        json_begin_array(w);
        for (size_t i = 0; i < fw->item_count; i++) {
            if (fw->items[i].tool != t)
                continue;
            json_begin_object(w);
            json_key(w, "id");
            json_string(w, fw->items[i].id);
            json_key(w, "name");
            json_string(w, fw->items[i].name);
            json_end_object(w);
        }
        json_end_array(w);
        json_end_object(w);
    }
    json_end_array(w);
    json_key(w, "areas");
    json_begin_array(w);
    for (size_t a = 0; a < fw->area_count; a++) {
        json_begin_object(w);
        json_key(w, "number");
        json_int(w, fw->areas[a].number);
        json_key(w, "name");
        json_string(w, fw->areas[a].name);
        json_end_object(w);
    }
    json_end_array(w);
    json_end_object(w);
}

char *catalogue_frameworks_json(diag_t *dg, const char *data_dir)
{
    char *ids = framework_list_ids(data_dir);
    char *text = NULL;
    size_t len = 0;
    FILE *out = mem_open_stream(&text, &len);
    json_writer_t *w = json_writer_new(out);
    json_begin_object(w);
    json_key(w, "frameworks");
    json_begin_array(w);
    /* The ids come sorted oldest first, comma-separated: the form offers the newest first. */
    char **list = NULL;
    size_t count = 0, cap = 0;
    for (char *p = ids; *p;) {
        size_t n = strcspn(p, ",");
        list = mem_array_grow(list, &cap, count + 1, sizeof *list);
        list[count++] = mem_strndup(p, n);
        p += n;
        while (*p == ',' || *p == ' ')
            p++;
    }
    int rc = 0;
    for (size_t i = count; i-- > 0;) {
        framework_t *fw = framework_open(dg, data_dir, list[i], NULL);
        if (fw)
            write_framework(w, fw);
        else
            rc = -1;
        framework_free(fw);
        free(list[i]);
    }
    free(list);
    free(ids);
    json_end_array(w);
    json_end_object(w);
    json_writer_free(w);
    fclose(out);
    if (rc != 0) {
        free(text);
        return NULL;
    }
    return text;
}

char *catalogue_provinces_json(diag_t *dg, const char *data_dir)
{
    char *path = datadir_path(data_dir, "templates/places.yaml");
    yamldoc_t *doc = yamldoc_parse_file(dg, path, NULL);
    free(path);
    if (!doc)
        return NULL;
    /* The list the input's province is checked against (places.h). */
    const yamldoc_node_t *root = doc->root ? yamldoc_get(doc->root, "provinces") : NULL;
    if (!root || !yamldoc_expect(dg, root, YAMLDOC_KIND_SEQUENCE, "the list of provinces")) {
        yamldoc_free(doc);
        return NULL;
    }
    char *text = NULL;
    size_t len = 0;
    FILE *out = mem_open_stream(&text, &len);
    json_writer_t *w = json_writer_new(out);
    json_begin_object(w);
    json_key(w, "provinces");
    json_begin_array(w);
    int rc = 0;
    for (size_t i = 0; i < root->count; i++) {
        char *name = NULL;
        if (yamldoc_read_text(dg, root->items[i], "a province", &name))
            json_string(w, name);
        else
            rc = -1;
        free(name);
    }
    json_end_array(w);
    json_end_object(w);
    json_writer_free(w);
    fclose(out);
    yamldoc_free(doc);
    if (rc != 0) {
        free(text);
        return NULL;
    }
    return text;
}
