/* datadir — see datadir.h. */
#include "datadir.h"

#include "diag.h"
#include "mem.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef ITAREPORT_SHARE_DIR
#define ITAREPORT_SHARE_DIR "/usr/local/share/itareport"
#endif

static int datadir_is_valid(const char *dir)
{
    char *probe = datadir_path(dir, "fonts/Sarabun-Regular.ttf");
    int ok = access(probe, R_OK) == 0;
    free(probe);
    return ok;
}

char *datadir_path(const char *dir, const char *relative)
{
    size_t n = strlen(dir);
    return mem_printf("%s%s%s", dir, n && dir[n - 1] == '/' ? "" : "/", relative);
}

/* Looks upwards from the executable's folder: a source tree (build/itareport,
 * build/asan/itareport) holds fonts/ a level or two up; an installed PREFIX/bin/itareport
 * has PREFIX/share/itareport. Returns a new string or NULL. */
static char *datadir_beside_executable(void)
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return NULL;
    exe[n] = '\0';
    for (int up = 0; up < 3; up++) {
        char *slash = strrchr(exe, '/');
        if (!slash || slash == exe)
            return NULL;
        *slash = '\0';
        if (up == 0)
            continue; /* the executable's own folder */
        if (datadir_is_valid(exe))
            return mem_strdup(exe);
        char *share = datadir_path(exe, "share/itareport");
        if (datadir_is_valid(share))
            return share;
        free(share);
    }
    return NULL;
}

#ifndef ITAREPORT_LOCALE_DIR
#define ITAREPORT_LOCALE_DIR "/usr/local/share/locale"
#endif

char *datadir_locale(void)
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash && slash != exe) {
            *slash = '\0';
            /* A build tree: BUILD/itareport beside BUILD/locale/. */
            char *beside = datadir_path(exe, "locale/th/LC_MESSAGES/itareport.mo");
            int ok = access(beside, R_OK) == 0;
            free(beside);
            if (ok)
                return datadir_path(exe, "locale");
            /* Installed: PREFIX/bin/itareport beside PREFIX/share/locale/. */
            slash = strrchr(exe, '/');
            if (slash && slash != exe) {
                *slash = '\0';
                char *share = datadir_path(exe, "share/locale/th/LC_MESSAGES/itareport.mo");
                ok = access(share, R_OK) == 0;
                free(share);
                if (ok)
                    return datadir_path(exe, "share/locale");
            }
        }
    }
    return mem_strdup(ITAREPORT_LOCALE_DIR);
}

#define DICT_FILE "dict/itareport.tri"

/* dir/relative as a new string when that file is readable, else NULL. */
static char *readable_in(const char *dir, const char *relative)
{
    if (!dir || !*dir)
        return NULL;
    char *path = datadir_path(dir, relative);
    if (access(path, R_OK) == 0)
        return path;
    free(path);
    return NULL;
}

char *datadir_dict(const char *data_dir)
{
    char *found = readable_in(data_dir, DICT_FILE);
    if (!found)
        found = readable_in(getenv("ITAREPORT_DATA"), DICT_FILE);
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (!found && n > 0) {
        exe[n] = '\0';
        /* BUILD/itareport, BUILD/tests/x, BUILD/fuzz/x: BUILD/dict; PREFIX/bin/itareport:
         * PREFIX/share/itareport/dict. */
        for (int up = 0; up < 2 && !found; up++) {
            char *slash = strrchr(exe, '/');
            if (!slash || slash == exe)
                break;
            *slash = '\0';
            found = readable_in(exe, DICT_FILE);
            if (!found)
                found = readable_in(exe, "share/itareport/" DICT_FILE);
        }
    }
    if (!found)
        found = readable_in(ITAREPORT_SHARE_DIR, DICT_FILE);
    return found;
}

char *datadir_find(diag_t *dg, const char *explicit_dir)
{
    if (explicit_dir) {
        if (datadir_is_valid(explicit_dir))
            return mem_strdup(explicit_dir);
        diag_fail(dg, NULL, "datadir-data-folder-fonts-sarabun",
                  "data folder '%s' has no fonts/Sarabun-Regular.ttf", explicit_dir);
        return NULL;
    }
    const char *env = getenv("ITAREPORT_DATA");
    if (env && *env) {
        if (datadir_is_valid(env))
            return mem_strdup(env);
        diag_fail(dg, NULL, "datadir-itareport-data-fonts-sarabun",
                  "ITAREPORT_DATA='%s' has no fonts/Sarabun-Regular.ttf", env);
        return NULL;
    }
    char *found = datadir_beside_executable();
    if (found)
        return found;
    if (datadir_is_valid(ITAREPORT_SHARE_DIR))
        return mem_strdup(ITAREPORT_SHARE_DIR);
    diag_fail(dg, NULL, "datadir-cannot-find-program-data",
              "cannot find the program's data (fonts, templates); use --data-dir or "
              "ITAREPORT_DATA");
    return NULL;
}
