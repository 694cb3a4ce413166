/* render — see render.h. */
#include "render.h"

#include "assessment.h"
#include "brk.h"
#include "datadir.h"
#include "diag.h"
#include "filebuf.h"
#include "fingerprint.h"
#include "image.h"
#include "dlist.h"
#include "doc.h"
#include "facts.h"
#include "layout.h"
#include "mem.h"
#include "outfile.h"
#include "pdf.h"
#include "report.h"
#include "shape.h"
#include "tmpl.h"
#include "typeset.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#ifndef ITAREPORT_VERSION
#define ITAREPORT_VERSION "unknown"
#endif

#define FONT_SLOTS 4
#define RENDER_MAX_INPUT                                                                           \
    (16u                                                                                           \
     << 20) /* bytes; the YAML reader has its own, lower limit */ /* regular, bold, italic, bold   \
                                                                     italic: doc_style_t.font */

struct renderer {
    diag_t *dg; /* where messages go (the caller's) */
    char *data_dir;
    brk_t *brk;
    shape_font_t *fonts[FONT_SLOTS];
    char *font_paths[FONT_SLOTS];
    layout_t *layout;
    char *template_path; /* the template kept from the last report */
    tmpl_t *tmpl;
};

renderer_t *render_new(diag_t *dg, const char *data_dir)
{
    brk_t *brk = brk_new(dg);
    if (!brk)
        return NULL;
    renderer_t *r = mem_zalloc(1, sizeof *r);
    r->dg = dg;
    r->data_dir = mem_strdup(data_dir);
    r->brk = brk;
    return r;
}

void render_free(renderer_t *r)
{
    if (!r)
        return;
    layout_free(r->layout);
    for (int i = 0; i < FONT_SLOTS; i++) {
        shape_font_free(r->fonts[i]);
        free(r->font_paths[i]);
    }
    brk_free(r->brk);
    tmpl_free(r->tmpl);
    free(r->template_path);
    free(r->data_dir);
    free(r);
}

/* The template of a folder, loaded once while the same folder is asked for. */
static const tmpl_t *template_for(renderer_t *r, const char *template_dir)
{
    char *path = datadir_path(template_dir, "report.yaml");
    if (r->tmpl && strcmp(path, r->template_path) == 0) {
        free(path);
        return r->tmpl;
    }
    tmpl_free(r->tmpl);
    free(r->template_path);
    r->template_path = path;
    r->tmpl = tmpl_load(r->dg, path);
    return r->tmpl;
}

/* Loads the template's fonts unless they are the ones already loaded. */
static int fonts_for(renderer_t *r, const tmpl_t *t)
{
    bool changed = false;
    for (int i = 0; i < FONT_SLOTS; i++) {
        char *path = t->fonts[i][0] == '/' ? mem_strdup(t->fonts[i])
                                           : datadir_path(r->data_dir, t->fonts[i]);
        if (r->fonts[i] && strcmp(path, r->font_paths[i]) == 0) {
            free(path);
            continue;
        }
        shape_font_free(r->fonts[i]);
        free(r->font_paths[i]);
        r->font_paths[i] = path;
        r->fonts[i] = shape_font_load(r->dg, path, 1);
        changed = true;
        if (!r->fonts[i]) {
            free(r->font_paths[i]);
            r->font_paths[i] = NULL;
            return -1;
        }
    }
    if (changed || !r->layout) {
        layout_free(r->layout);
        r->layout = layout_new(r->fonts, FONT_SLOTS, r->brk);
    }
    return 0;
}

/* Names the breaker must never split: the agency's and its places', and the template's
 * words to keep together. */
static void protect_names(layout_t *layout, const model_t *m, const tmpl_t *t)
{
    const char **names = mem_zalloc(6 + t->keep_count, sizeof *names);
    size_t n = 0;
    for (size_t i = 0; i < t->keep_count; i++)
        names[n++] = t->keep_together[i];
    const model_text_t *fields[] = {&m->agency.name, &m->agency.short_name, &m->agency.subdistrict,
                                    &m->agency.district, &m->agency.province};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        if (fields[i]->text && fields[i]->text[0])
            names[n++] = fields[i]->text;
    layout_set_names(layout, names, n);
    free(names);
}

static int write_output(renderer_t *r, const dlist_t *list, const char *output,
                        const pdf_info_t *info, bool dump)
{
    outfile_t *out = outfile_open(r->dg, output);
    if (!out)
        return -1;
    if (dump)
        dlist_dump(list, outfile_stream(out));
    else if (pdf_write(r->dg, list, r->fonts, FONT_SLOTS, info, outfile_stream(out)) != 0) {
        outfile_abort(out);
        return -1;
    }
    return outfile_commit(r->dg, out);
}

/* Decodes the document's images; a relative path is relative to the input's folder. An
 * image whose path is the input's logo is reported at the logo's place in the input. */
static int load_images(diag_t *dg, doc_t *doc, const char *input, const model_text_t *logo)
{
    const char *slash = strrchr(input, '/');
    for (size_t s = 0; s < doc->section_count; s++) {
        for (size_t b = 0; b < doc->sections[s].block_count; b++) {
            doc_block_t *blk = &doc->sections[s].blocks[b];
            if (blk->kind != DOC_IMAGE)
                continue;
            const char *p = blk->u.image.path;
            char *path = p[0] == '/' || !slash
                             ? mem_strdup(p)
                             : mem_printf("%.*s/%s", (int)(slash - input), input, p);
            const diag_pos_t *pos =
                logo->text && strcmp(logo->text, p) == 0 && logo->pos.file ? &logo->pos : NULL;
            blk->u.image.image = image_load(dg, pos, path);
            free(path);
            if (!blk->u.image.image)
                return -1;
        }
    }
    return 0;
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
    doc_t doc;
    dlist_t list;
    doc_init(&doc);
    dlist_init(&list);
    char *title = NULL, *keywords = NULL;
    const tmpl_t *t = template_for(r, a->template_dir);
    if (!t || fonts_for(r, t) != 0)
        goto done;
    data = facts_build(a->model, a->fw, a->findings, t->wording);
    bool thai = options->digits < 0 ? t->thai_digits : options->digits == 1;
    if (report_build(r->dg, t, data, thai, &doc) != 0)
        goto done;
    if (load_images(r->dg, &doc, name, &a->model->agency.logo) != 0)
        goto done;
    protect_names(r->layout, a->model, t);
    typeset_document(r->layout, &doc, &list);
    const model_t *m = a->model;
    title = mem_printf("รายงานการวิเคราะห์ผลการประเมิน ITA ประจำปีงบประมาณ พ.ศ. %d %s", m->fiscal_year,
                       m->agency.name.text ? m->agency.name.text : "");
    keywords = mem_printf("ITA, %s, %d, %s, %s, %s", a->fw->id, m->fiscal_year,
                          m->agency.name.text ? m->agency.name.text : "",
                          m->agency.district.text ? m->agency.district.text : "",
                          m->agency.province.text ? m->agency.province.text : "");
    char fingerprint[FINGERPRINT_HEX];
    if (fingerprint_of_buffer(r->dg, input, size, a->template_dir, fingerprint) != 0)
        goto done;
    const char *base = strrchr(name, '/');
    pdf_info_t info = {.title = title,
                       .author = m->agency.name.text,
                       .subject = a->fw->title,
                       .keywords = keywords,
                       .creator = "itareport " ITAREPORT_VERSION,
                       .fingerprint = fingerprint,
                       .creation_time = pdf_source_date(),
                       .attachment_name = base ? base + 1 : name,
                       .attachment = input,
                       .attachment_size = size,
                       .attachment_type = "application/x-yaml"};
    rc = write_output(r, &list, output, &info, options->dump_layout);
done:
    free(title);
    free(keywords);
    dlist_free(&list);
    doc_free(&doc);
    value_free(data);
    return rc;
}
