/* model — see model.h. */
#include "model.h"

#include "mem.h"

#include <stdlib.h>
#include <string.h>

model_t *model_new(const char *file)
{
    model_t *m = mem_zalloc(1, sizeof *m);
    m->file = mem_strdup(file);
    return m;
}

static void model_free_scores(model_score_list_t *list)
{
    for (size_t i = 0; i < list->count; i++)
        free(list->items[i].id);
    free(list->items);
}

static void model_free_texts(model_text_list_t *list)
{
    for (size_t i = 0; i < list->count; i++)
        free(list->items[i].text);
    free(list->items);
}

void model_free(model_t *m)
{
    if (!m)
        return;
    free(m->framework.text);
    model_text_t *agency[] = {&m->agency.name,        &m->agency.short_name, &m->agency.type,
                              &m->agency.subdistrict, &m->agency.district,   &m->agency.province,
                              &m->agency.logo};
    for (size_t i = 0; i < sizeof agency / sizeof agency[0]; i++)
        free(agency[i]->text);
    model_free_scores(&m->questions);
    model_free_scores(&m->indicators);
    model_free_scores(&m->tools);
    free(m->overall.id);
    for (size_t i = 0; i < m->history_count; i++) {
        model_free_scores(&m->history[i].figures);
        model_free_scores(&m->history[i].indicators);
    }
    free(m->grade.text);
    free(m->label.text);
    free(m->focus_reason.text);
    model_text_t *report[] = {&m->report.office, &m->report.prepared_by.name,
                              &m->report.prepared_by.position, &m->report.approved_by.name,
                              &m->report.approved_by.position};
    for (size_t i = 0; i < sizeof report / sizeof report[0]; i++)
        free(report[i]->text);
    for (size_t i = 0; i < m->focus_measure_count; i++) {
        model_focus_measure_t *fm = &m->focus_measures[i];
        free(fm->measure.text);
        free(fm->responsible.text);
        free(fm->period.text);
        model_free_texts(&fm->follow_up);
    }
    free(m->focus_measures);
    free(m->history);
    for (size_t i = 0; i < m->discuss_count; i++)
        model_free_texts(&m->discuss[i].questions);
    free(m->discuss);
    for (size_t i = 0; i < m->measure_count; i++) {
        model_measure_t *ms = &m->measures[i];
        free(ms->title.text);
        free(ms->responsible.text);
        model_free_texts(&ms->approach);
        model_free_texts(&ms->steps);
        model_free_texts(&ms->follow_up);
    }
    free(m->measures);
    for (size_t i = 0; i < m->limitation_count; i++) {
        free(m->limitations[i].topic.text);
        free(m->limitations[i].detail.text);
    }
    free(m->limitations);
    for (size_t i = 0; i < m->narrative_count; i++)
        free(m->narratives[i].text.text);
    free(m->narratives);
    free(m->file);
    for (size_t i = 0; i < m->kept_count; i++)
        free(m->kept[i]);
    free(m->kept);
    free(m);
}

model_score_t *model_add_score(model_score_list_t *list, const char *id, const decimal_t *values,
                               size_t value_count, diag_pos_t pos)
{
    list->items =
        mem_array_grow(list->items, &list->capacity, list->count + 1, sizeof *list->items);
    model_score_t *s = &list->items[list->count++];
    memset(s, 0, sizeof *s);
    s->id = mem_strdup(id);
    if (value_count > MODEL_MAX_PARTS)
        value_count = MODEL_MAX_PARTS;
    memcpy(s->values, values, value_count * sizeof *values);
    s->value_count = value_count;
    s->places = -1;
    s->pos = pos;
    return s;
}

const model_score_t *model_find_score(const model_score_list_t *list, const char *id)
{
    for (size_t i = 0; i < list->count; i++)
        if (strcmp(list->items[i].id, id) == 0)
            return &list->items[i];
    return NULL;
}

void model_add_text(model_text_list_t *list, const char *text, diag_pos_t pos)
{
    list->items =
        mem_array_grow(list->items, &list->capacity, list->count + 1, sizeof *list->items);
    list->items[list->count++] = (model_text_t){mem_strdup(text), pos};
}

/* Appends a zeroed item to an array of item_size-sized entries. */
static void *model_append(void *array_ptr, size_t *count, size_t *capacity, size_t item_size)
{
    void **array = array_ptr;
    *array = mem_array_grow(*array, capacity, *count + 1, item_size);
    char *item = (char *)*array + (*count)++ * item_size;
    memset(item, 0, item_size);
    return item;
}

model_history_t *model_add_history(model_t *m)
{
    return model_append(&m->history, &m->history_count, &m->history_capacity, sizeof *m->history);
}

model_discuss_t *model_add_discuss(model_t *m)
{
    return model_append(&m->discuss, &m->discuss_count, &m->discuss_capacity, sizeof *m->discuss);
}

model_measure_t *model_add_measure(model_t *m)
{
    return model_append(&m->measures, &m->measure_count, &m->measure_capacity, sizeof *m->measures);
}

model_narrative_t *model_add_narrative(model_t *m)
{
    return model_append(&m->narratives, &m->narrative_count, &m->narrative_capacity,
                        sizeof *m->narratives);
}

model_focus_measure_t *model_add_focus_measure(model_t *m)
{
    return model_append(&m->focus_measures, &m->focus_measure_count, &m->focus_measure_capacity,
                        sizeof *m->focus_measures);
}

model_limitation_t *model_add_limitation(model_t *m)
{
    return model_append(&m->limitations, &m->limitation_count, &m->limitation_capacity,
                        sizeof *m->limitations);
}

const model_discuss_t *model_find_discuss(const model_t *m, int area)
{
    for (size_t i = 0; i < m->discuss_count; i++)
        if (m->discuss[i].area == area)
            return &m->discuss[i];
    return NULL;
}

const char *model_keep(model_t *m, const char *text)
{
    if (!text)
        return NULL;
    m->kept = mem_array_grow(m->kept, &m->kept_capacity, m->kept_count + 1, sizeof *m->kept);
    return m->kept[m->kept_count++] = mem_strdup(text);
}
