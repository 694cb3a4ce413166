/* cmd_new — `itareport new [--framework ID] [-o FILE]`: writes a skeleton input for a
 * framework year, with every field and every question id of that year, commented in Thai,
 * ready to fill in. Everything year-specific comes from the framework file. */
#include "cmd.h"
#include "datadir.h"
#include "diag.h"
#include "framework.h"
#include "mem.h"
#include "outfile.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

void cmd_new_help(FILE *out)
{
    fputs(_("Usage: itareport new [--framework ID] [--csv] [-o FILE [--force]] [--data-dir DIR]\n"
            "\n"
            "Writes a skeleton input for one agency: every field and every question id of the\n"
            "framework year, commented in Thai. Fill in the values after the colons and run\n"
            "'itareport check FILE.yaml'. A question left empty counts as missing.\n"
            "\n"
            "Options:\n"
            "  --framework ID    the framework year (a folder of templates/); by default the\n"
            "                    newest one installed (the highest fiscal year)\n"
            "  --csv             write the header row of a CSV table instead (one agency per\n"
            "                    row, for 'itareport batch'; columns: docs/input-format.md)\n"
            "  -o, --output FILE where to write (default: standard output); an existing file\n"
            "                    is never overwritten without --force\n"
            "  --force           overwrite FILE\n"
            "  --data-dir DIR    the folder holding templates/ and fonts/\n"
            "\n"
            "Example:\n"
            "  itareport new --framework ita-2566 -o my-agency.yaml\n"
            "  itareport new --csv -o agencies.csv\n"),
          out);
}

/* The newest framework installed: the highest fiscal year (provisional or not; the last in
 * name order among equals); a new string, or NULL when there is none. */
static char *new_default_framework(diag_t *dg, const char *data_dir)
{
    char *list = framework_list_ids(data_dir);
    char *chosen = NULL, *save = NULL;
    int best = 0;
    for (char *id = strtok_r(list, ", ", &save); id; id = strtok_r(NULL, ", ", &save)) {
        char *path = mem_printf("%s/templates/%s/framework.yaml", data_dir, id);
        framework_t *fw = framework_load_file(dg, path);
        free(path);
        if (fw && fw->fiscal_year >= best) {
            best = fw->fiscal_year;
            free(chosen);
            chosen = mem_strdup(id);
        }
        framework_free(fw);
    }
    free(list);
    return chosen;
}

static void new_write_questions(FILE *out, const framework_t *fw, const size_t *questions,
                                size_t count)
{
    for (size_t i = 0; i < count; i++) {
        const framework_question_t *q = &fw->questions[questions[i]];
        fprintf(out, "    %s:%*s# %s\n", q->id, (int)(6 - strlen(q->id) % 6), "", q->text);
    }
}

/* The report's own details and its sign-off (all optional), at the end of the skeleton. */
static void write_report(FILE *out)
{
    fputs("\n# (ไม่บังคับ) รายละเอียดของรายงาน: ส่วนราชการที่จัดทำ เดือนและปีของรายงาน และผู้ลงนาม\n"
          "report:\n"
          "  office:        # ส่วนราชการที่จัดทำรายงาน เช่น สำนักปลัด (เว้นว่าง: หน่วยงาน)\n"
          "  date:          # เดือนและปีของรายงาน (พ.ศ.) เช่น 2567-03 หรือ 2567-03-15\n"
          "  prepared_by:   # ผู้จัดทำรายงาน\n"
          "    name:\n"
          "    position:\n"
          "    date:        # เช่น 2567-03-15\n"
          "  approved_by:   # ผู้อนุมัติรายงาน\n"
          "    name:\n"
          "    position:\n"
          "    date:\n",
          out);
}

static void new_write(FILE *out, const framework_t *fw)
{
    fprintf(out,
            "# ข้อมูลผลการประเมิน ITA ของหน่วยงาน: %s\n"
            "# กรอกค่าหลังเครื่องหมาย : แล้วตรวจด้วยคำสั่ง itareport check ชื่อไฟล์.yaml\n"
            "# ช่องที่เว้นว่างไว้ถือว่าไม่มีข้อมูล; ดูคำอธิบายทุกช่องใน docs/input-format.md\n",
            fw->title);
    if (fw->provisional)
        fputs("# กรอบการประเมินปีนี้ยังเป็นข้อมูลชั่วคราว (provisional): กรอกคะแนนในระดับที่มี\n"
              "# (รายตัวชี้วัด รายเครื่องมือ หรือคะแนนรวม) ตามที่ ป.ป.ช. ประกาศ\n",
              out);
    fprintf(out, "framework: %s\nfiscal_year: %d      # ปีงบประมาณ พ.ศ.\n\n", fw->id,
            fw->fiscal_year);
    fputs("agency:\n"
          "  name:          # ชื่อหน่วยงานเต็ม เช่น องค์การบริหารส่วนตำบล...\n"
          "  short_name:    # ชื่อย่อ เช่น อบต....\n"
          "  type:          # ประเภท: อบต. | เทศบาล | other\n"
          "  subdistrict:   # ตำบล\n"
          "  district:      # อำเภอ\n"
          "  province:      # จังหวัด\n"
          "  logo:          # (ไม่บังคับ) ไฟล์ภาพตราหน่วยงาน\n"
          "\n"
          "scores:\n"
          "  # กรอกคะแนนในระดับที่มี: รายข้อ รายตัวชี้วัด รายเครื่องมือ หรือคะแนนรวม\n"
          "  # คะแนนรายข้อ 0-100 ตามระบบ ITAS\n"
          "  questions:\n",
          out);
    for (size_t t = 0; t < fw->tool_count; t++) {
        const framework_tool_t *tool = &fw->tools[t];
        fprintf(out, "    # %s %s", tool->code, tool->name);
        if (tool->part_count) {
            fputs(": คะแนนแต่ละข้อเป็นรายการ [", out);
            for (size_t p = 0; p < tool->part_count; p++)
                fprintf(out, "%s%s", p ? ", " : "", tool->parts[p].name);
            fputs("]", out);
        }
        fputs("\n", out);
        for (size_t i = 0; i < fw->indicator_count; i++) {
            const framework_indicator_t *ind = &fw->indicators[i];
            if (ind->tool != t)
                continue;
            fprintf(out, "    # ตัวชี้วัดที่ %d %s\n", ind->number, ind->name);
            if (ind->sub_count == 0)
                new_write_questions(out, fw, ind->questions, ind->question_count);
            for (size_t s = 0; s < ind->sub_count; s++) {
                fprintf(out, "    # %s %s\n", ind->subs[s].number, ind->subs[s].name);
                new_write_questions(out, fw, ind->subs[s].questions, ind->subs[s].question_count);
            }
        }
    }
    for (size_t i = 0; i < fw->item_count; i++) {
        const framework_item_t *item = &fw->items[i];
        if (i == 0 || fw->items[i - 1].tool != item->tool)
            fprintf(out,
                    "    # %s รายข้อ (ยังไม่ทราบว่าข้อใดอยู่ในตัวชี้วัดใด จึงไม่นำไปคำนวณคะแนน;\n"
                    "    # กรอกคะแนนตัวชี้วัดที่ 9 และ 10 หรือคะแนน %s ด้านล่างแทน)\n",
                    fw->tools[item->tool].code, fw->tools[item->tool].code);
        fprintf(out, "    %s:%*s# %s\n", item->id, (int)(6 - strlen(item->id) % 6), "",
                item->name ? item->name : "(ยังไม่ทราบชื่อข้อ)");
    }
    fputs("  # คะแนนตามที่ ป.ป.ช. ประกาศ (ไม่บังคับ): เป็นคะแนนทางการ ใช้แทนค่าที่คำนวณได้\n"
          "  indicators:\n",
          out);
    for (size_t i = 0; i < fw->indicator_count; i++)
        fprintf(out, "    %d:%*s# %s\n", fw->indicators[i].number,
                fw->indicators[i].number < 10 ? 6 : 5, "", fw->indicators[i].name);
    fputs("  tools:\n", out);
    for (size_t t = 0; t < fw->tool_count; t++) {
        fprintf(out, "    %s:%*s# %s\n", fw->tools[t].id, 11 - (int)strlen(fw->tools[t].id) % 11,
                "", fw->tools[t].name);
        for (size_t p = 0; p < fw->tools[t].part_count; p++) {
            int n = (int)strlen(fw->tools[t].parts[p].key);
            fprintf(out, "    %s:%*s# %s %s\n", fw->tools[t].parts[p].key, n < 11 ? 11 - n : 1, "",
                    fw->tools[t].code, fw->tools[t].parts[p].name);
        }
    }
    fputs("  overall:       # คะแนนรวม\n"
          "  grade:         # (ไม่บังคับ) ระดับตามที่ประกาศ เช่น A\n"
          "  label:         # (ไม่บังคับ) ผลการประเมินตามที่ประกาศ เช่น ผ่าน; ต้องมีเมื่อไม่มีคะแนนครบทุกเครื่องมือ\n"
          "\n"
          "# ผลการประเมินปีก่อน ๆ (ไม่บังคับ) เช่น\n"
          "#   - {fiscal_year: 2565, overall: 80.12, iit: 85.00, eit: 80.00, oit: 76.50}\n"
          "#   - {fiscal_year: 2564, overall: 78.40, indicators: {1: 90.12, 2: 85.40}}\n"
          "history:\n"
          "\n"
          "# ข้อคำถามที่จะวิเคราะห์ในแต่ละประเด็น เช่น [e11, e15]; เว้นว่าง = โปรแกรมเลือกข้อที่ต่ำที่สุด\n"
          "discuss:\n",
          out);
    for (size_t a = 0; a < fw->area_count; a++)
        fprintf(out, "  %d:%*s# %s\n", fw->areas[a].number, fw->areas[a].number < 10 ? 6 : 5, "",
                fw->areas[a].name);
    fputs("\n# ส่วนที่ 2: มาตรการนำผลการวิเคราะห์ไปสู่การปฏิบัติ (หนึ่งรายการต่อประเด็น)\n"
          "action_plan:\n",
          out);
    for (size_t a = 0; a < fw->area_count; a++)
        fprintf(out,
                "  - area: %d\n"
                "    measure: %s\n"
                "    approach:      # แนวทางการปฏิบัติ: รายการข้อความ\n"
                "    steps:         # ขั้นตอน/วิธีการปฏิบัติ: รายการข้อความ\n"
                "    responsible:   # ผู้รับผิดชอบ เช่น สำนักปลัด\n"
                "    follow_up:     # การกำกับติดตาม เช่น [รอบ 6 เดือน, รอบ 12 เดือน]\n",
                fw->areas[a].number, fw->areas[a].name);
    fputs(fw->focus_lowest
              ? "\n# ตัวชี้วัดที่เลือกมากำหนดมาตรการ (เว้นว่าง = ตัวชี้วัดที่มีคะแนนต่ำที่สุด) และมาตรการ\n"
              : "\n# (ไม่บังคับ) ตัวชี้วัดที่มุ่งพัฒนาและมาตรการ\n",
          out);
    fputs("focus:\n"
          "  indicator:     # หมายเลขตัวชี้วัด 1-10\n"
          "  reason:        # (ไม่บังคับ) เหตุผลที่เลือก\n"
          "  measures:      # รายการ เช่น\n"
          "    # - measure: ...\n"
          "    #   responsible: สำนักปลัด\n"
          "    #   period: ตุลาคม 2568 - กันยายน 2569\n"
          "    #   follow_up: [รอบ 6 เดือน, รอบ 12 เดือน]\n",
          out);
    fputs("\n# ข้อจำกัดของหน่วยงาน เช่น\n"
          "#   - topic: ข้อจำกัดด้านบุคลากร\n"
          "#     detail: ...\n"
          "limitations:\n",
          out);
    write_report(out);
}

/* The header row of a CSV input (csvin.h): agency fields, one column per question (per
 * part for a tool with parts), the published totals. */
static void new_write_csv(FILE *out, const framework_t *fw)
{
    fputs("framework,fiscal_year,name,short_name,type,subdistrict,district,province,logo", out);
    for (size_t q = 0; q < fw->question_count; q++) {
        const framework_tool_t *tool = &fw->tools[fw->questions[q].tool];
        if (!tool->part_count)
            fprintf(out, ",%s", fw->questions[q].id);
        for (size_t p = 0; p < tool->part_count; p++)
            fprintf(out, ",%s_%zu", fw->questions[q].id, p + 1);
    }
    for (size_t i = 0; i < fw->indicator_count; i++)
        fprintf(out, ",indicator_%d", fw->indicators[i].number);
    for (size_t t = 0; t < fw->tool_count; t++) {
        fprintf(out, ",%s", fw->tools[t].id);
        for (size_t p = 0; p < fw->tools[t].part_count; p++)
            fprintf(out, ",%s", fw->tools[t].parts[p].key);
    }
    fputs(",overall,report_office,report_date,prepared_by_name,prepared_by_position,"
          "prepared_by_date,approved_by_name,approved_by_position,approved_by_date\r\n",
          out);
}

int cmd_new_run(diag_t *dg, int argc, char **argv)
{
    enum { OPT_FRAMEWORK = 256, OPT_CSV, OPT_DATA, OPT_FORCE };
    static const struct option longs[] = {
        {"output", required_argument, NULL, 'o'},
        {"framework", required_argument, NULL, OPT_FRAMEWORK},
        {"csv", no_argument, NULL, OPT_CSV},
        {"data-dir", required_argument, NULL, OPT_DATA},
        {"force", no_argument, NULL, OPT_FORCE},
        {NULL, 0, NULL, 0},
    };
    const char *id = NULL, *output = "-", *data_dir = NULL;
    int csv = 0, force = 0;
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":o:", longs, NULL)) != -1) {
        switch (c) {
        case 'o':
            output = optarg;
            break;
        case OPT_FRAMEWORK:
            id = optarg;
            break;
        case OPT_CSV:
            csv = 1;
            break;
        case OPT_DATA:
            data_dir = optarg;
            break;
        case OPT_FORCE:
            force = 1;
            break;
        default:
            return cmd_option_error(dg, "new", c, argv);
        }
    }
    if (optind < argc)
        return cmd_usage_error(dg, "new", "usage-unexpected-argument", "unexpected argument '%s'",
                               argv[optind]);
    /* A filled-in input is work: never written over unasked. */
    if (!force && outfile_exists(output)) {
        diag_fail(dg, NULL, "new-exists",
                  "'%s' exists already; nothing was written (use --force to overwrite it)", output);
        return DIAG_EXIT_FAILURE;
    }
    char *data = datadir_find(dg, data_dir);
    if (!data)
        return DIAG_EXIT_FAILURE;
    char *chosen = id ? mem_strdup(id) : new_default_framework(dg, data);
    if (!chosen) {
        diag_fail(dg, NULL, "new-framework-found-under-templates",
                  "no framework found under %s/templates", data);
        free(data);
        return DIAG_EXIT_FAILURE;
    }
    int status = DIAG_EXIT_FAILURE;
    framework_t *fw = framework_open(dg, data, chosen, NULL);
    outfile_t *out = fw ? outfile_open(dg, output) : NULL;
    if (out) {
        if (csv)
            new_write_csv(outfile_stream(out), fw);
        else
            new_write(outfile_stream(out), fw);
        status = outfile_commit(dg, out) == 0 ? DIAG_EXIT_OK : DIAG_EXIT_FAILURE;
    }
    framework_free(fw);
    free(chosen);
    free(data);
    return status;
}
