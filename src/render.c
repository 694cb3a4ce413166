/* render — see render.h. */
#include "render.h"

#include "assessment.h"
#include "brk.h"
#include "datadir.h"
#include "diag.h"
#include "dlist.h"
#include "embed.h"
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
    unsigned documents;     /* written with it */
    embed_source_t *source; /* made for its second document (a process writing many) */
} loaded_font_t;

typedef struct loaded_template {
    char *path;
    tmpl_t *tmpl;
} loaded_template_t;

struct renderer {
    diag_t *dg; /* where messages go (the caller's) */
    char *data_dir;
    brk_t *brk;
    fingerprint_cache_t *hashes; /* every file hashed for a fingerprint */
    loaded_font_t *fonts;        /* every font loaded, kept until render_free */
    size_t font_count, font_capacity;
    loaded_template_t *templates; /* every template loaded */
    size_t template_count, template_capacity;
    shape_font_t *current[RENDER_FONT_SLOTS];     /* the fonts of the next document */
    const char *current_paths[RENDER_FONT_SLOTS]; /* their files (owned by fonts[]) */
    size_t current_loaded[RENDER_FONT_SLOTS];     /* their index in fonts[] */
    size_t current_count;
    layout_t *layout; /* over current[], rebuilt when they change */
};

renderer_t *render_new(diag_t *dg, const char *data_dir)
{
    brk_t *brk = brk_new_from(dg, data_dir);
    if (!brk)
        return NULL;
    renderer_t *r = mem_zalloc(1, sizeof *r);
    r->data_dir = data_dir ? mem_strdup(data_dir) : NULL;
    r->dg = dg;
    r->brk = brk;
    r->hashes = fingerprint_cache_new();
    return r;
}

/* The renderer a command leaves to the process's end (render_keep_until_exit). */
static renderer_t *kept_until_exit;

void render_keep_until_exit(renderer_t *r)
{
    if (kept_until_exit && kept_until_exit != r)
        render_free(kept_until_exit);
    kept_until_exit = r;
}

void render_free(renderer_t *r)
{
    if (!r)
        return;
    layout_free(r->layout);
    for (size_t i = 0; i < r->font_count; i++) {
        embed_source_free(r->fonts[i].source);
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
    fingerprint_cache_free(r->hashes);
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

/* A font file, loaded the first time its path is asked for; NULL after reporting. The
 * entry's strings live as long as the renderer. */
static const loaded_font_t *font_at(renderer_t *r, const char *name)
{
    char *path =
        name[0] == '/' || !r->data_dir ? mem_strdup(name) : datadir_path(r->data_dir, name);
    for (size_t i = 0; i < r->font_count; i++)
        if (strcmp(r->fonts[i].path, path) == 0) {
            free(path);
            return &r->fonts[i];
        }
    filebuf_stamp_t stamp;
    bool stamped = filebuf_stamp(path, &stamp) == 0;
    shape_font_t *f = shape_font_load(r->dg, path, 1);
    if (!f) {
        free(path);
        return NULL;
    }
    /* Its fingerprint from the bytes the font holds: the file is not read again. */
    const shape_font_info_t *info = shape_font_info(f);
    if (stamped)
        fingerprint_cache_note(r->hashes, path, &stamp, info->data, info->size);
    r->fonts = mem_array_grow(r->fonts, &r->font_capacity, r->font_count + 1, sizeof *r->fonts);
    r->fonts[r->font_count] = (loaded_font_t){path, f, 0, NULL};
    return &r->fonts[r->font_count++];
}

int render_use_fonts(renderer_t *r, const char *const *paths, size_t count)
{
    shape_font_t *fonts[RENDER_FONT_SLOTS] = {NULL};
    if (count > RENDER_FONT_SLOTS)
        count = RENDER_FONT_SLOTS;
    bool changed = count != r->current_count || !r->layout;
    for (size_t i = 0; i < count; i++) {
        const loaded_font_t *loaded = font_at(r, paths[i]);
        if (!loaded)
            return -1;
        fonts[i] = loaded->font;
        r->current_paths[i] = loaded->path;
        r->current_loaded[i] = (size_t)(loaded - r->fonts);
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

/* The fingerprint of a document about to be written: what it was made from (meta's
 * source bytes and files), the current fonts' files, the breaker's dictionary, its images'
 * files and its digits. */
static int document_fingerprint(renderer_t *r, const doc_t *doc, const render_meta_t *meta,
                                char out[FINGERPRINT_HEX])
{
    fingerprint_t *f = fingerprint_new();
    int rc = -1;
    fingerprint_add(f, meta->source, meta->source_size);
    for (size_t i = 0; i < meta->file_count; i++)
        if (fingerprint_add_file(r->dg, f, r->hashes, meta->files[i]) != 0)
            goto done;
    for (size_t i = 0; i < r->current_count; i++)
        if (fingerprint_add_file(r->dg, f, r->hashes, r->current_paths[i]) != 0)
            goto done;
    if (fingerprint_add_file(r->dg, f, r->hashes, brk_dictionary(r->brk)) != 0)
        goto done;
    for (size_t s = 0; s < doc->section_count; s++)
        for (size_t b = 0; b < doc->sections[s].block_count; b++)
            if (doc->sections[s].blocks[b].kind == DOC_IMAGE &&
                fingerprint_add_file(r->dg, f, r->hashes,
                                     doc->sections[s].blocks[b].u.image.path) != 0)
                goto done;
    unsigned char digits = doc->thai_digits;
    fingerprint_add(f, &digits, 1);
    rc = 0;
done:
    fingerprint_finish(f, out);
    return rc;
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
    char fingerprint[FINGERPRINT_HEX];
    if (document_fingerprint(r, doc, meta, fingerprint) != 0)
        return -1;
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
                           .fingerprint = fingerprint,
                           .creation_time = pdf_source_date(),
                           .attachment_name = meta->attachment_name,
                           .attachment = meta->attachment,
                           .attachment_size = meta->attachment_size,
                           .attachment_type = meta->attachment_type,
                           .attachment_description = meta->attachment_description};
        embed_source_t *sources[RENDER_FONT_SLOTS] = {NULL};
        for (size_t i = 0; i < r->current_count; i++) {
            loaded_font_t *loaded = &r->fonts[r->current_loaded[i]];
            if (++loaded->documents == 2)
                loaded->source = embed_source_new(loaded->font);
            sources[i] = loaded->source;
        }
        if (pdf_write(r->dg, &list, r->current, sources, r->current_count, &info,
                      outfile_stream(out)) != 0) {
            outfile_abort(out);
            goto done;
        }
    }
    rc = outfile_commit(r->dg, out);
done:
    dlist_free(&list);
    return rc;
}

/* A document built from a template, ready to be written or fingerprinted: the caller's
 * meta completed with the template's words to keep together and files. */
typedef struct prepared {
    doc_t doc;
    render_meta_t meta;
    const char **names, **files; /* the arrays are owned; their strings are not */
    char *info[TMPL_INFO_COUNT]; /* the template's document information, filled */
} prepared_t;

static void prepared_free(prepared_t *p)
{
    for (int i = 0; i < TMPL_INFO_COUNT; i++)
        free(p->info[i]);
    doc_free(&p->doc);
    free(p->names);
    free(p->files);
}

/* Resolves each image's path (a relative one from base_dir) and, with decode, decodes it. */
static int load_images(diag_t *dg, doc_t *doc, const char *base_dir, bool decode,
                       const render_meta_t *meta)
{
    for (size_t s = 0; s < doc->section_count; s++) {
        for (size_t b = 0; b < doc->sections[s].block_count; b++) {
            doc_block_t *blk = &doc->sections[s].blocks[b];
            if (blk->kind != DOC_IMAGE)
                continue;
            char *p = blk->u.image.path;
            const diag_pos_t *pos =
                meta->logo && meta->logo_pos && strcmp(meta->logo, p) == 0 ? meta->logo_pos : NULL;
            if (p[0] != '/' && base_dir) {
                blk->u.image.path = mem_printf("%s/%s", base_dir, p);
                free(p);
            }
            if (decode && !(blk->u.image.image = image_load(dg, pos, blk->u.image.path)))
                return -1;
        }
    }
    return 0;
}

/* Builds the document of a template filled with data into p (prepared_free it, also
 * after a failure); 0, or -1 after reporting. */
static int prepare(renderer_t *r, const tmpl_t *t, const value_t *data, bool thai,
                   const char *base_dir, const render_meta_t *meta, bool decode,
                   const char *const *fonts, prepared_t *p)
{
    memset(p, 0, sizeof *p);
    doc_init(&p->doc);
    p->meta = *meta;
    p->names = mem_zalloc(t->keep_count + meta->name_count + 1, sizeof *p->names);
    p->files = mem_zalloc(t->source_count + meta->file_count + 1, sizeof *p->files);
    for (size_t i = 0; i < t->keep_count; i++)
        p->names[i] = t->keep_together[i];
    p->meta.name_count = t->keep_count;
    for (size_t i = 0; i < meta->name_count; i++)
        p->names[p->meta.name_count++] = meta->names[i];
    p->meta.file_count = 0;
    for (size_t i = 0; i < meta->file_count; i++)
        p->files[p->meta.file_count++] = meta->files[i];
    for (size_t i = 0; i < t->source_count; i++)
        p->files[p->meta.file_count++] = t->sources[i];
    p->meta.names = p->names;
    p->meta.files = p->files;
    for (int i = 0; i < TMPL_INFO_COUNT; i++)
        p->info[i] = report_line(r->dg, t, &t->info[i], data);
    p->meta.title = p->info[TMPL_INFO_TITLE];
    p->meta.author = p->info[TMPL_INFO_AUTHOR];
    p->meta.subject = p->info[TMPL_INFO_SUBJECT];
    p->meta.keywords = p->info[TMPL_INFO_KEYWORDS];
    p->meta.attachment_description = p->info[TMPL_INFO_ATTACHMENT];
    /* The caller's fonts (a command line's --font, --font-family) before the template's. */
    const char *chosen[RENDER_FONT_SLOTS];
    for (int i = 0; i < RENDER_FONT_SLOTS; i++)
        chosen[i] = fonts && fonts[i] ? fonts[i] : t->fonts[i];
    if (render_use_fonts(r, chosen, RENDER_FONT_SLOTS) != 0 ||
        report_build(r->dg, t, data, thai, &p->doc) != 0 ||
        load_images(r->dg, &p->doc, base_dir, decode, meta) != 0)
        return -1;
    return 0;
}

int render_data(renderer_t *r, const tmpl_t *t, const value_t *data, bool thai,
                const char *base_dir, const render_meta_t *meta, const char *output, bool dump)
{
    prepared_t p;
    int rc = prepare(r, t, data, thai, base_dir, meta, true, NULL, &p);
    if (rc == 0)
        rc = render_document(r, &p.doc, &p.meta, output, dump);
    prepared_free(&p);
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

/* One agency's report under way: its data and the texts its meta points to. */
typedef struct report_job {
    prepared_t prepared;
    value_t *data;
    char *base_dir, *framework;
    const char *names[5];
} report_job_t;

static void report_job_free(report_job_t *j)
{
    prepared_free(&j->prepared);
    value_free(j->data);
    free(j->base_dir);
    free(j->framework);
}

/* Prepares the report of an assessment (decode: its images too) into j (report_job_free
 * it, also after a failure); 0, or -1 after reporting. */
static int report_prepare(renderer_t *r, const assessment_t *a, const char *name,
                          const unsigned char *input, size_t size, const render_options_t *options,
                          bool decode, report_job_t *j)
{
    memset(j, 0, sizeof *j);
    doc_init(&j->prepared.doc); /* so that report_job_free works before prepare */
    char *path = datadir_path(a->template_dir, "report.yaml");
    const tmpl_t *t = render_template(r, path, facts_names);
    free(path);
    if (!t)
        return -1;
    const model_t *m = a->model;
    j->data = facts_build(m, a->fw, a->findings, t->wording, pdf_source_date());
    bool thai = options->digits < 0 ? t->thai_digits : options->digits == 1;
    /* The agency's and its places' names are never broken. */
    size_t name_count = 0;
    const model_text_t *fields[] = {&m->agency.name, &m->agency.short_name, &m->agency.subdistrict,
                                    &m->agency.district, &m->agency.province};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        if (fields[i]->text && fields[i]->text[0])
            j->names[name_count++] = fields[i]->text;
    j->framework = datadir_path(a->template_dir, "framework.yaml");
    const char *files[] = {j->framework};
    const char *slash = strrchr(name, '/');
    j->base_dir = slash ? mem_strndup(name, (size_t)(slash - name)) : NULL;
    render_meta_t meta = {.creator = "itareport " ITAREPORT_VERSION,
                          .source = input,
                          .source_size = size,
                          .files = files,
                          .file_count = 1,
                          .names = j->names,
                          .name_count = name_count,
                          .attachment_name = slash ? slash + 1 : name,
                          .attachment = input,
                          .attachment_size = size,
                          .attachment_type = "application/x-yaml",
                          .logo = m->agency.logo.text,
                          .logo_pos = m->agency.logo.pos.file ? &m->agency.logo.pos : NULL};
    doc_free(&j->prepared.doc);
    return prepare(r, t, j->data, thai, j->base_dir, &meta, decode, options->fonts, &j->prepared);
}

int render_assessment(renderer_t *r, const assessment_t *a, const char *name,
                      const unsigned char *input, size_t size, const char *output,
                      const render_options_t *options)
{
    report_job_t j;
    int rc = report_prepare(r, a, name, input, size, options, true, &j);
    if (rc == 0)
        rc = render_document(r, &j.prepared.doc, &j.prepared.meta, output, options->dump_layout);
    report_job_free(&j);
    return rc;
}

int render_fingerprint(renderer_t *r, const assessment_t *a, const char *name,
                       const unsigned char *input, size_t size, const render_options_t *options,
                       char out[FINGERPRINT_HEX])
{
    report_job_t j;
    int rc = report_prepare(r, a, name, input, size, options, false, &j);
    if (rc == 0)
        rc = document_fingerprint(r, &j.prepared.doc, &j.prepared.meta, out);
    report_job_free(&j);
    return rc;
}
