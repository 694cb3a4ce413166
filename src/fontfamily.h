/* fontfamily — the font families a report can be set in, named on the command line
 * (`--font-family laksaman`) and listed in templates/font-families.yaml: the files of the
 * four faces (regular, bold, italic, bold italic: render.h's font slots) and the Debian
 * package that holds them.
 *
 * Sits before render: a command turns a family name into the four paths it hands to the
 * renderer in place of the template's fonts. A family owns its strings;
 * fontfamily_free releases them. */
#ifndef ITAREPORT_FONTFAMILY_H
#define ITAREPORT_FONTFAMILY_H

#include "diag.h"

#define FONTFAMILY_FACES 4

typedef struct fontfamily {
    char *faces[FONTFAMILY_FACES]; /* paths as the renderer takes them (absolute, or relative
                                      to the data folder) */
} fontfamily_t;

/* Finds family `name` in data_dir/templates/font-families.yaml and checks that each face's
 * file exists. 0, or -1 after reporting an unknown family (with the names there are) or a
 * missing file (with the package to install); *out is zeroed then. */
int fontfamily_find(diag_t *dg, const char *data_dir, const char *name, fontfamily_t *out);

void fontfamily_free(fontfamily_t *f);

#endif
