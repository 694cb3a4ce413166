/* pdf — writes a display list (dlist.h) as a PDF: the only module that uses libharu. It
 * makes no layout decisions: it walks pages and items and draws them. What goes into each
 * font's dictionaries (CIDs, the hb-subset program, widths, ToUnicode) is embed.h's.
 *
 * Glyphs go in through a Type0 font (Identity-H) over a CIDFontType2 whose embedded program
 * is a subset of the TrueType font made with hb-subset (glyph ids retained). A CID stands
 * for one (glyph, text, advance) triple, numbered in order of first use and mapped to its
 * glyph by a CIDToGIDMap, so that the ToUnicode CMap gives back exactly the source text
 * even for glyphs without a code point (shaped forms, ligatures, SARA AM); clusters whose
 * text cannot be handed out over their glyphs are wrapped in ActualText spans.
 * Every glyph's x and y offset reaches the page (TJ adjustments and text rise).
 * The display list's outlines become bookmarks; pages get decimal page labels.
 *
 * libharu's errors are captured in the writer's context and reported through diag. */
#ifndef ITAREPORT_PDF_H
#define ITAREPORT_PDF_H

#include "diag.h"

#include "dlist.h"
#include "embed.h"
#include "shape.h"

#include <stdio.h>

/* Document information; any field may be NULL. Strings are UTF-8. */
typedef struct pdf_info {
    const char *title;
    const char *author;
    const char *subject;
    const char *keywords;
    const char *creator;
    /* What the document was made from (fingerprint.h): written to the information as
     * /ITAReportFingerprint and used for the document /ID, so that the same sources give
     * the same bytes. */
    const char *fingerprint;
    long long creation_time; /* seconds since 1970 (UTC), -1: no dates at all */
    /* A file embedded in the document (the input), with a file specification that gives
     * it back byte for byte (/F and /UF, the stream's /Subtype and /Params /Size). */
    const char *attachment_name; /* base name; NULL: none */
    const unsigned char *attachment;
    size_t attachment_size;
    const char *attachment_type;        /* MIME type, e.g. "application/x-yaml" */
    const char *attachment_description; /* its /Desc; NULL: none */
} pdf_info_t;

/* The creation time SOURCE_DATE_EPOCH asks for (seconds since 1970, UTC), or -1 when it is
 * not set or not a number: dates never come from the clock, so output is reproducible. */
long long pdf_source_date(void);

/* Writes the list to out. fonts[i] is the font of dl_text.font == i; sources[i], when
 * sources is not NULL, its embed_source_t (or NULL). Returns 0, or -1
 * after reporting an error (out may then hold a partial file: callers write to a
 * temporary file, see outfile.h). */
int pdf_write(diag_t *dg, const dlist_t *list, shape_font_t *const *fonts,
              embed_source_t *const *sources, size_t font_count, const pdf_info_t *info, FILE *out);

#endif
