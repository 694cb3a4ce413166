/* fontfamily — see fontfamily.h. */
#include "fontfamily.h"

#include "datadir.h"
#include "diag.h"
#include "mem.h"
#include "yamldoc.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *const face_keys[] = {"regular",     "bold",    "italic",
                                        "bold_italic", "package", NULL};

void fontfamily_free(fontfamily_t *f)
{
    for (int i = 0; i < FONTFAMILY_FACES; i++)
        free(f->faces[i]);
    memset(f, 0, sizeof *f);
}

/* The names of the families in the list, comma-separated (a new string). */
static char *family_names(const yamldoc_node_t *root)
{
    char *names = mem_strdup("");
    for (size_t i = 0; i < root->count; i++) {
        char *more = mem_printf("%s%s%s", names, i ? ", " : "", root->pairs[i].key->text);
        free(names);
        names = more;
    }
    return names;
}

/* Reads the four faces of one family into out, each checked to exist; 0 or -1. */
static int read_faces(diag_t *dg, const char *data_dir, const char *name,
                      const yamldoc_node_t *family, fontfamily_t *out)
{
    if (!yamldoc_expect(dg, family, YAMLDOC_KIND_MAPPING, "a font family") ||
        !yamldoc_check_keys(dg, family, face_keys, "a font family"))
        return -1;
    const yamldoc_node_t *package = yamldoc_get(family, "package");
    for (int i = 0; i < FONTFAMILY_FACES; i++) {
        const yamldoc_node_t *face = yamldoc_require(dg, family, face_keys[i], "a font family");
        if (!face || !yamldoc_read_text(dg, face, face_keys[i], &out->faces[i]))
            return -1;
        char *path = out->faces[i][0] == '/' ? mem_strdup(out->faces[i])
                                             : datadir_path(data_dir, out->faces[i]);
        struct stat st;
        int found = stat(path, &st) == 0 && S_ISREG(st.st_mode);
        if (!found) {
            if (package && package->text)
                diag_fail(dg, NULL, "fontfamily-face-missing-package",
                          "the font family '%s' needs %s, which is not there (install the "
                          "Debian package %s: apt-get install %s)",
                          name, path, package->text, package->text);
            else
                diag_fail(dg, NULL, "fontfamily-face-missing",
                          "the font family '%s' needs %s, "
                          "which is not there",
                          name, path);
        }
        free(path);
        if (!found)
            return -1;
    }
    return 0;
}

int fontfamily_find(diag_t *dg, const char *data_dir, const char *name, fontfamily_t *out)
{
    memset(out, 0, sizeof *out);
    char *list = datadir_path(data_dir, "templates/font-families.yaml");
    yamldoc_t *doc = yamldoc_parse_file(dg, list, NULL);
    int rc = -1;
    if (!doc)
        goto done;
    if (!doc->root || !yamldoc_expect(dg, doc->root, YAMLDOC_KIND_MAPPING, "the font families")) {
        diag_fail(dg, NULL, "fontfamily-list-empty", "%s lists no font families", list);
        goto done;
    }
    const yamldoc_node_t *family = yamldoc_get(doc->root, name);
    if (!family) {
        char *names = family_names(doc->root);
        diag_fail(dg, NULL, "fontfamily-unknown", "unknown font family '%s' (there are: %s)", name,
                  names);
        free(names);
        goto done;
    }
    rc = read_faces(dg, data_dir, name, family, out);
done:
    if (rc != 0)
        fontfamily_free(out);
    yamldoc_free(doc);
    free(list);
    return rc;
}
