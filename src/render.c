/* render — see render.h. */
#include "render.h"

#include "assessment.h"
#include "brk.h"
#include "datadir.h"
#include "diag.h"
#include "dlist.h"
#include "facts.h"
#include "filebuf.h"
#include "fingerprint.h"
#include "image.h"
#include "layout.h"
#include "mem.h"
#include "outfile.h"
#include "pdf.h"
#include "report.h"
#include "shape.h"
#include "typeset.h"

#include <stdlib.h>
#include <string.h>

#ifndef ITAREPORT_VERSION
#define ITAREPORT_VERSION "unknown"
#endif

/* bytes; the YAML reader has its own, lower limit */
#define RENDER_MAX_INPUT (16u << 20)

typedef struct loaded_font {
    char *path;
    shape_font_t *font;
} loaded_font_t;

typedef struct loaded_template {
    char *path;
    tmpl_t *tmpl;
} loaded_template_t;

struct renderer {
    diag_t *dg; /* where messages go (the caller's) */
    char *data_dir;
    brk_t *brk;
    loaded_font_t *fonts; /* every font loaded, kept until render_free */
    size_t font_count, font_capacity;
    loaded_template_t *templates; /* every template loaded */
    size_t template_count, template_capacity;
    shape_font_t *current[RENDER_FONT_SLOTS]; /* the fonts of the next document */
    size_t current_count;
    layout_t *layout; /* over current[], rebuilt when they change */
};

renderer_t *render_new(diag_t *dg, const char *data_dir)
{
    brk_t *brk = brk_new(dg);
    if (!brk)
        return NULL;
    renderer_t *r = mem_zalloc(1, sizeof *r);
    r->data_dir = data_dir ? mem_strdup(data_dir) : NULL;
    r->dg = dg;
    r->brk = brk;
    return r;
}

void render_free(renderer_t *r)
{
    if (!r)
        return;
    layout_free(r->layout);
    for (size_t i = 0; i < r->font_count; i++) {
        shape_font_free(r->fonts[i].font);
        free(r->fonts[i].path);
    }
    free(r->fonts);
    for (size_t i = 0; i < r->template_count; i++) {
        tmpl_free(r->templates[i].tmpl);
        free(r->templates[i].path);
    }
    free(r->templates);
    brk_free(r->brk);
    free(r->data_dir);
    free(r);
}

const tmpl_t *render_template(renderer_t *r, const char *path, tmpl_names_t names)
{
    for (size_t i = 0; i < r->template_count; i++)
        if (strcmp(r->templates[i].path, path) == 0)
            return r->templates[i].tmpl;
    tmpl_t *t = tmpl_load(r->dg, path, names);
    if (!t)
        return NULL;
    r->templates = mem_array_grow(r->templates, &r->template_capacity, r->template_count + 1,
                                  sizeof *r->templates);
    r->templates[r->template_count++] = (loaded_template_t){mem_strdup(path), t};
    return t;
}

/* A font file, loaded the first time its path is asked for. */
static shape_font_t *font_at(renderer_t *r, const char *name)
{
    char *path =
        name[0] == '/' || !r->data_dir ? mem_strdup(name) : datadir_path(r->data_dir, name);
    for (size_t i = 0; i < r->font_count; i++)
        if (strcmp(r->fonts[i].path, path) == 0) {
            free(path);
            return r->fonts[i].font;
        }
    shape_font_t *f = shape_font_load(r->dg, path, 1);
    if (!f) {
        free(path);
        return NULL;
    }
    r->fonts = mem_array_grow(r->fonts, &r->font_capacity, r->font_count + 1, sizeof *r->fonts);
    r->fonts[r->font_count++] = (loaded_font_t){path, f};
    return f;
}

int render_use_fonts(renderer_t *r, const char *const *paths, size_t count)
{
    shape_font_t *fonts[RENDER_FONT_SLOTS] = {NULL};
    if (count > RENDER_FONT_SLOTS)
        count = RENDER_FONT_SLOTS;
    bool changed = count != r->current_count || !r->layout;
    for (size_t i = 0; i < count; i++) {
        fonts[i] = font_at(r, paths[i]);
        if (!fonts[i])
            return -1;
        changed |= fonts[i] != r->current[i];
    }
    if (changed) {
        layout_free(r->layout);
        memcpy(r->current, fonts, sizeof fonts);
        r->current_count = count;
        r->layout = layout_new(r->current, count, r->brk);
    }
    return 0;
}

int render_document(renderer_t *r, const doc_t *doc, const render_meta_t *meta, const char *output,
                    bool dump)
{
    if (!r->layout) {
        /* id: render-no-fonts */
        diag_fail(r->dg, NULL, "render-no-fonts",
                  "internal error: a document rendered before its fonts were chosen");
        return -1;
    }
    dlist_t list;
    dlist_init(&list);
    layout_set_names(r->layout, meta->names, meta->name_count);
    typeset_document(r->layout, doc, &list);
    int rc = -1;
    outfile_t *out = outfile_open(r->dg, output);
    if (!out)
        goto done;
    if (dump) {
        dlist_dump(&list, outfile_stream(out));
    } else {
        pdf_info_t info = {.title = meta->title,
                           .author = meta->author,
                           .subject = meta->subject,
                           .keywords = meta->keywords,
                           .creator = meta->creator,
                           .fingerprint = meta->fingerprint,
                           .creation_time = pdf_source_date(),
                           .attachment_name = meta->attachment_name,
                           .attachment = meta->attachment,
                           .attachment_size = meta->attachment_size,
                           .attachment_type = meta->attachment_type};
        if (pdf_write(r->dg, &list, r->current, r->current_count, &info, outfile_stream(out)) !=
            0) {
            outfile_abort(out);
            goto done;
        }
    }
    rc = outfile_commit(r->dg, out);
done:
    dlist_free(&list);
    return rc;
}

/* Decodes the document's images; a relative path is relative to base_dir. */
static int load_images(diag_t *dg, doc_t *doc, const char *base_dir)
{
    for (size_t s = 0; s < doc->section_count; s++) {
        for (size_t b = 0; b < doc->sections[s].block_count; b++) {
            doc_block_t *blk = &doc->sections[s].blocks[b];
            if (blk->kind != DOC_IMAGE)
                continue;
            const char *p = blk->u.image.path;
            char *path =
                p[0] == '/' || !base_dir ? mem_strdup(p) : mem_printf("%s/%s", base_dir, p);
            blk->u.image.image = image_load(dg, path);
            free(path);
            if (!blk->u.image.image)
                return -1;
        }
    }
    return 0;
}

int render_data(renderer_t *r, const tmpl_t *t, const value_t *data, bool thai,
                const char *base_dir, const render_meta_t *meta, const char *output, bool dump)
{
    int rc = -1;
    doc_t doc;
    doc_init(&doc);
    const char **names = mem_zalloc(t->keep_count + meta->name_count + 1, sizeof *names);
    size_t n = 0;
    for (size_t i = 0; i < t->keep_count; i++)
        names[n++] = t->keep_together[i];
    for (size_t i = 0; i < meta->name_count; i++)
        names[n++] = meta->names[i];
    render_meta_t with_names = *meta;
    with_names.names = names;
    with_names.name_count = n;
    if (render_use_fonts(r, (const char *const *)t->fonts, RENDER_FONT_SLOTS) != 0 ||
        report_build(r->dg, t, data, thai, &doc) != 0 || load_images(r->dg, &doc, base_dir) != 0)
        goto done;
    rc = render_document(r, &doc, &with_names, output, dump);
done:
    free(names);
    doc_free(&doc);
    return rc;
}

int render_file(renderer_t *r, const char *input, const char *output,
                const render_options_t *options)
{
    unsigned char *data = NULL;
    size_t size = 0;
    if (filebuf_read(r->dg, input, "", RENDER_MAX_INPUT, &data, &size) != 0)
        return -1;
    int rc = render_buffer(r, input, data, size, output, options);
    free(data);
    return rc;
}

int render_buffer(renderer_t *r, const char *name, const unsigned char *input, size_t size,
                  const char *output, const render_options_t *options)
{
    assessment_t a;
    int rc = -1;
    if (assessment_open_buffer(r->dg, &a, name, input, size, options->template_dir, r->data_dir) ==
        0)
        rc = render_assessment(r, &a, name, input, size, output, options);
    assessment_close(&a);
    return rc;
}

int render_assessment(renderer_t *r, const assessment_t *a, const char *name,
                      const unsigned char *input, size_t size, const char *output,
                      const render_options_t *options)
{
    int rc = -1;
    value_t *data = NULL;
    char *title = NULL, *keywords = NULL, *base_dir = NULL;
    char *path = datadir_path(a->template_dir, "report.yaml");
    const tmpl_t *t = render_template(r, path, facts_names);
    free(path);
    if (!t)
        goto done;
    const model_t *m = a->model;
    data = facts_build(m, a->fw, a->findings, t->wording);
    bool thai = options->digits < 0 ? t->thai_digits : options->digits == 1;
    /* The agency's and its places' names are never broken. */
    const char *names[5];
    size_t name_count = 0;
    const model_text_t *fields[] = {&m->agency.name, &m->agency.short_name, &m->agency.subdistrict,
                                    &m->agency.district, &m->agency.province};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        if (fields[i]->text && fields[i]->text[0])
            names[name_count++] = fields[i]->text;
    title = mem_printf("รายงานการวิเคราะห์ผลการประเมิน ITA ประจำปีงบประมาณ พ.ศ. %d %s", m->fiscal_year,
                       m->agency.name.text ? m->agency.name.text : "");
    keywords = mem_printf("ITA, %s, %d, %s, %s, %s", a->fw->id, m->fiscal_year,
                          m->agency.name.text ? m->agency.name.text : "",
                          m->agency.district.text ? m->agency.district.text : "",
                          m->agency.province.text ? m->agency.province.text : "");
    char fingerprint[FINGERPRINT_HEX];
    if (fingerprint_of_buffer(r->dg, input, size, a->template_dir, fingerprint) != 0)
        goto done;
    const char *slash = strrchr(name, '/');
    base_dir = slash ? mem_strndup(name, (size_t)(slash - name)) : NULL;
    render_meta_t meta = {.title = title,
                          .author = m->agency.name.text,
                          .subject = a->fw->title,
                          .keywords = keywords,
                          .creator = "itareport " ITAREPORT_VERSION,
                          .fingerprint = fingerprint,
                          .names = names,
                          .name_count = name_count,
                          .attachment_name = slash ? slash + 1 : name,
                          .attachment = input,
                          .attachment_size = size,
                          .attachment_type = "application/x-yaml"};
    rc = render_data(r, t, data, thai, base_dir, &meta, output, options->dump_layout);
done:
    free(title);
    free(keywords);
    free(base_dir);
    value_free(data);
    return rc;
}
