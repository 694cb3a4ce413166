/* cmd_new — placeholder, written next. */
#include "cmd.h"
int cmd_new_run(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    return 1;
}
void cmd_new_help(FILE *out)
{
    (void)out;
}
