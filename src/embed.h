/* embed — one font as a PDF document embeds it, as plain data: the CIDs the document's text
 * uses (one per glyph, the text it stands for and its advance, numbered in order of first
 * use; CID 0 is .notdef), the glyph copies MuPDF's pen needs, and, once the pages are
 * drawn, what the PDF's font dictionaries hold: the subset program (hb-subset, the only user
 * of hb-subset.h: glyph ids retained, layout tables dropped, copies appended by sfnt), its
 * subset tag, the CIDToGIDMap, the widths and the ToUnicode CMap. No libharu here: pdf
 * wraps these in its objects.
 *
 * An embed_font_t borrows its shape_font_t and owns everything else; embed_font_free
 * releases it. An embed_program_t owns its bytes (embed_program_free). */
#ifndef ITAREPORT_EMBED_H
#define ITAREPORT_EMBED_H

#include "diag.h"
#include "shape.h"

#include <stddef.h>
#include <stdint.h>

/* One CID: a glyph drawn with a given advance standing for a given text. */
typedef struct embed_cid {
    uint32_t gid;
    int32_t width;        /* font units */
    int32_t copy_advance; /* drawn through a copy with this advance; -1: the glyph itself */
    int32_t copy_shift;   /* the copy's outline moved right by this much (font units) */
    uint32_t drawn_gid;   /* the glyph id in the embedded program (copy or original) */
    size_t text_start;    /* into the font's text pool */
    size_t text_len;
} embed_cid_t;

typedef struct embed_font embed_font_t;

/* A font made ready once for the subsets of many documents (hb_subset_preprocess): the
 * same programs, made with a tenth less of a warm report's work, for a one-time cost of
 * about twenty documents' subsetting; worth it in a process that writes many documents.
 * It borrows the font, which must outlive it; NULL when it cannot be made (subsetting then
 * starts from the font itself). */
typedef struct embed_source embed_source_t;
embed_source_t *embed_source_new(shape_font_t *font);
void embed_source_free(embed_source_t *source);

/* source: the font's embed_source_t, or NULL. */
embed_font_t *embed_font_new(shape_font_t *font, const embed_source_t *source);
void embed_font_free(embed_font_t *f);

/* The CID for (gid, width, copy advance and shift, text), given out on first use; 0 when
 * the font has no CID left (65,535 in one document). copy_shift (font units, |shift| <
 * 32768) moves a copy's outline: a glyph drawn elsewhere than it is seen (a mark that MuPDF
 * must drop as a repeat of the glyph it is drawn over); with copy_advance -1 it is 0. */
uint32_t embed_cid(embed_font_t *f, uint32_t gid, int32_t width, int32_t copy_advance,
                   int32_t copy_shift, const char *text, size_t len);

/* MuPDF moves its pen by the embedded program's advance, not by W: where the distance from
 * a glyph's origin to the logical pen after it (`needed`, font units) differs from the
 * program's advance by more than EMBED_COPY_THRESHOLD_EM, the glyph is drawn through a
 * copy whose advance is `needed` quantised to EMBED_COPY_QUANTUM_EM. Returns the copy's
 * advance, or -1 for the glyph itself. */
#define EMBED_COPY_THRESHOLD_EM 0.06
#define EMBED_COPY_QUANTUM_EM 0.1
int32_t embed_copy_advance(const embed_font_t *f, uint32_t gid, double needed);

/* What the font dictionaries hold once the document is drawn. */
typedef struct embed_program {
    unsigned char *program; /* the TrueType program to embed (FontFile2) */
    size_t program_size;
    char base_name[128];       /* "ABCDEF+PostScriptName": the subset tag and the font's name */
    unsigned char *cid_to_gid; /* two bytes per CID, big-endian */
    size_t cid_to_gid_size;
    double *widths; /* W of CIDs 1..count-1, in thousandths of the em */
    size_t width_count;
    char *tounicode; /* the ToUnicode CMap */
    size_t tounicode_size;
} embed_program_t;

/* Makes the subset and the tables for the CIDs given out so far. 0, or -1 after reporting
 * (out then holds nothing to free). */
int embed_font_finish(diag_t *dg, embed_font_t *f, embed_program_t *out);
void embed_program_free(embed_program_t *p);

#endif
