/* datadir — where the program's data (fonts/, templates/) lives.
 *
 * Looked up in this order: an explicit folder (--data-dir), $ITAREPORT_DATA, the source
 * tree the executable was built in (the folder above build/), and the installed
 * PREFIX/share/itareport. A folder qualifies when it holds fonts/Sarabun-Regular.ttf. */
#ifndef ITAREPORT_DATADIR_H
#define ITAREPORT_DATADIR_H

#include "diag.h"

/* Returns the data folder as a new string (caller frees), or NULL after reporting an
 * error that says where it looked. explicit_dir may be NULL. */
char *datadir_find(diag_t *dg, const char *explicit_dir);

/* Joins a data folder and a relative path into a new string (caller frees). */
/* The folder of the message catalogues (LANG/LC_MESSAGES/itareport.mo): locale/ beside a
 * build tree's executable, PREFIX/share/locale when installed. A new string, never NULL. */
char *datadir_locale(void);

char *datadir_path(const char *dir, const char *relative);

/* The breaker's dictionary (dict/itareport.tri, built by make): in data_dir when given
 * (may be NULL) and it holds one, then in $ITAREPORT_DATA, then beside a build tree's
 * executable (BUILD/dict, also for BUILD/tests/ and BUILD/tools/ programs), then
 * PREFIX/share/itareport/dict when installed. A new string, or NULL when none exists. */
char *datadir_dict(const char *data_dir);

#endif
