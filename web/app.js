// The web form of itareport serve (docs/serve.md). No framework, no build step: the form is
// laid out from GET /api/frameworks, every change is checked through POST /api/check (the
// same JSON as `itareport check --json`), errors are put beside the field whose input path
// they carry, the draft is kept in localStorage, and the PDF comes from POST /api/render.
"use strict";

const DRAFT_KEY = "itareport-draft";
const CHECK_DELAY_MS = 300;

let catalogue = null; // {frameworks: [...]}
let provinces = [];
let fw = null; // the chosen framework
let logo = null; // {name, type, base64}
let kept = {}; // what the opened file or the draft holds that the form has no field for
let checkTimer = null;
let checkSeq = 0;

const $ = (sel, root = document) => root.querySelector(sel);
const $$ = (sel, root = document) => Array.from(root.querySelectorAll(sel));

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "text") e.textContent = v;
    else if (k === "dataset") Object.assign(e.dataset, v);
    else e.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children) if (c) e.append(c);
  return e;
}

// ---- the form from the framework ----------------------------------------------------------

function scoreInput(path, label) {
  return el("input", {
    inputmode: "decimal", autocomplete: "off", "aria-label": label,
    class: "score", dataset: { path },
  });
}

function buildScores() {
  const box = $("#score-fields");
  box.replaceChildren();
  for (const tool of fw.tools) {
    const sec = el("section", { class: "tool", "aria-label": tool.name });
    sec.append(el("h3", { text: `${tool.code} ${tool.name}` }));
    const totals = el("div", { class: "total" });
    totals.append(el("label", { text: `คะแนน ${tool.code} ตามที่ประกาศ ` },
      scoreInput(`scores.tools.${tool.id}`, `คะแนน ${tool.code}`)));
    for (const part of tool.parts)
      totals.append(el("label", { text: `${tool.code} ${part.name} ` },
        scoreInput(`scores.tools.${part.key}`, `${tool.code} ${part.name}`)));
    sec.append(totals);
    for (const ind of tool.indicators) {
      const box2 = el("div", { class: "indicator" });
      box2.append(el("h4", { text: `ตัวชี้วัดที่ ${ind.number} ${ind.name}` }));
      box2.append(el("div", { class: "total" }, el("label", { text: "คะแนนตัวชี้วัดตามที่ประกาศ " },
        scoreInput(`scores.indicators.${ind.number}`, `คะแนนตัวชี้วัดที่ ${ind.number}`))));
      for (const q of ind.questions) box2.append(questionRow(tool, q.id, q.text));
      sec.append(box2);
    }
    if (tool.items.length) {
      const box3 = el("div", { class: "indicator" });
      box3.append(el("h4", { text: `รายการ ${tool.code} (ไม่นำไปคำนวณคะแนน)` }));
      for (const it of tool.items) box3.append(questionRow(tool, it.id, it.name || ""));
      sec.append(box3);
    }
    box.append(sec);
  }
  const overall = el("section", { class: "tool", "aria-label": "คะแนนรวม" });
  overall.append(el("h3", { text: "คะแนนรวมตามที่ประกาศ" }));
  const t = el("div", { class: "total" });
  t.append(el("label", { text: "คะแนนรวม " }, scoreInput("scores.overall", "คะแนนรวม")));
  t.append(el("label", { text: "ระดับ " }, el("input", { dataset: { path: "scores.grade" }, size: 3 })));
  t.append(el("label", { text: "ผลการประเมิน " }, el("input", { dataset: { path: "scores.label" } })));
  overall.append(t);
  box.append(overall);
}

function questionRow(tool, id, text) {
  const parts = tool.parts.length;
  const row = el("div", { class: `q parts-${Math.min(Math.max(parts, 1), 4)}` });
  row.append(el("span", { class: "qid", text: id }), el("span", { class: "qtext", text }));
  if (parts === 0) {
    row.append(scoreInput(`scores.questions.${id}`, `ข้อคำถาม ${id}`));
  } else {
    tool.parts.forEach((p, i) =>
      row.append(scoreInput(`scores.questions.${id}[${i}]`, `ข้อคำถาม ${id} ${p.name}`)));
  }
  return row;
}

function historyRow(index) {
  const row = el("div", { class: "row", dataset: { row: "history" } });
  row.append(el("label", { text: "ปีงบประมาณ " },
    el("input", { inputmode: "numeric", dataset: { path: `history[${index}].fiscal_year` } })));
  row.append(el("label", { text: "คะแนนรวม " },
    scoreInput(`history[${index}].overall`, "คะแนนรวม")));
  for (const tool of fw.tools)
    row.append(el("label", { text: `${tool.code} ` },
      scoreInput(`history[${index}].${tool.id}`, tool.code)));
  row.append(removeButton(row));
  return row;
}

function planRow(index) {
  const row = el("div", { class: "row", dataset: { row: "plan" } });
  const area = el("select", { dataset: { path: `action_plan[${index}].area` } });
  for (const a of fw.areas)
    area.append(el("option", { value: String(a.number), text: `ประเด็นที่ ${a.number} ${a.name}` }));
  row.append(el("label", { class: "wide", text: "ประเด็น " }, area));
  row.append(el("label", { class: "wide", text: "มาตรการ " },
    el("input", { dataset: { path: `action_plan[${index}].measure` } })));
  for (const [key, name] of [["approach", "แนวทางการปฏิบัติ"], ["steps", "ขั้นตอน/วิธีการปฏิบัติ"],
    ["follow_up", "ระยะเวลา/การกำกับติดตาม"]])
    row.append(el("label", { text: `${name} ` },
      el("textarea", { dataset: { path: `action_plan[${index}].${key}`, list: "1" } })));
  row.append(el("label", { text: "ผู้รับผิดชอบ " },
    el("input", { dataset: { path: `action_plan[${index}].responsible` } })));
  row.append(removeButton(row));
  return row;
}

function limitRow(index) {
  const row = el("div", { class: "row", dataset: { row: "limits" } });
  row.append(el("label", { text: "หัวข้อ " },
    el("input", { dataset: { path: `limitations[${index}].topic` } })));
  row.append(el("label", { class: "wide", text: "รายละเอียด " },
    el("textarea", { dataset: { path: `limitations[${index}].detail` } })));
  row.append(removeButton(row));
  return row;
}

function removeButton(row) {
  const b = el("button", { type: "button", text: "ลบรายการนี้" });
  b.addEventListener("click", () => {
    const values = readForm();
    const kind = row.dataset.row;
    const list = kind === "history" ? values.history : kind === "plan" ? values.action_plan : values.limitations;
    const index = $$(`[data-row="${kind}"]`).indexOf(row);
    list.splice(index, 1);
    fillForm(values);
    changed();
  });
  return b;
}

function rebuild(values) {
  fw = catalogue.frameworks.find((f) => f.id === values.framework) || catalogue.frameworks[0];
  $("#f-framework").value = fw.id;
  const type = $("#f-type");
  type.replaceChildren(el("option", { value: "", text: "— เลือก —" }));
  for (const t of fw.agency_types) type.append(el("option", { value: t, text: t }));
  buildScores();
  $("#discuss").replaceChildren(...fw.areas.map((a) =>
    el("label", { text: `ประเด็นที่ ${a.number} ${a.name} ` },
      el("input", { dataset: { path: `discuss.${a.number}`, list: "words" }, placeholder: "เช่น e11, e15" }))));
  const n = (k) => (values[k] || []).length;
  $("#history").replaceChildren(...Array.from({ length: n("history") }, (_, i) => historyRow(i)));
  $("#plan").replaceChildren(...Array.from({ length: n("action_plan") }, (_, i) => planRow(i)));
  $("#limits").replaceChildren(...Array.from({ length: n("limitations") }, (_, i) => limitRow(i)));
}

// ---- form values <-> the input's structure -------------------------------------------------

// Splits "a.b[2].c" into ["a", "b", 2, "c"].
function splitPath(path) {
  const out = [];
  for (const part of path.split(".")) {
    const m = part.match(/^([^[\]]*)((?:\[\d+\])*)$/);
    if (!m) { out.push(part); continue; }
    if (m[1]) out.push(m[1]);
    for (const idx of m[2].matchAll(/\[(\d+)\]/g)) out.push(Number(idx[1]));
  }
  return out;
}

function getPath(obj, path) {
  let v = obj;
  for (const k of splitPath(path)) {
    if (v === null || v === undefined) return undefined;
    v = v[k];
  }
  return v;
}

function setPath(obj, path, value) {
  const keys = splitPath(path);
  let v = obj;
  keys.forEach((k, i) => {
    if (i === keys.length - 1) { v[k] = value; return; }
    if (v[k] === undefined || v[k] === null || typeof v[k] !== "object")
      v[k] = typeof keys[i + 1] === "number" ? [] : {};
    v = v[k];
  });
}

// The form as the input's structure, with what the form has no field for (narrative, focus,
// an earlier year's indicators, ...) kept as the opened file or the draft had it.
function readForm() {
  return withKept(readFields(), kept);
}

// The form's own fields as the input's structure (values as the text typed; empty fields left out).
function readFields() {
  const values = { framework: $("#f-framework").value, fiscal_year: String(fw.fiscal_year) };
  for (const e of $$("[data-path]")) {
    if (e.id === "f-framework" || e.tagName === "SPAN") continue;
    let v = e.value.trim();
    if (v === "") continue;
    if (e.dataset.list) v = v.split(e.dataset.list === "words" ? /[\s,]+/ : "\n").map((s) => s.trim()).filter((s) => s);
    setPath(values, e.dataset.path, v);
  }
  for (const k of ["history", "action_plan", "limitations"]) {
    const kind = k === "history" ? "history" : k === "action_plan" ? "plan" : "limits";
    const count = $$(`[data-row="${kind}"]`).length;
    values[k] = Array.from({ length: count }, (_, i) => (values[k] && values[k][i]) || {});
  }
  if (logo) setPath(values, "agency.logo", logo.name);
  values.digits = ($("input[name=digits]:checked") || {}).value || "";
  return values;
}

function fillForm(values) {
  for (const k of ["history", "action_plan", "limitations"])
    if (!Array.isArray(values[k])) values[k] = [];
  rebuild(values);
  for (const e of $$("[data-path]")) {
    if (e.id === "f-framework" || e.tagName === "SPAN") continue;
    let v = getPath(values, e.dataset.path);
    if (Array.isArray(v)) v = v.join(e.dataset.list === "words" ? ", " : "\n");
    else if (v && typeof v === "object") v = "";
    if (e.tagName === "SELECT" && v && !$$("option", e).some((o) => o.value === v))
      e.append(el("option", { value: v, text: v }));
    e.value = v === undefined || v === null ? "" : String(v);
  }
  for (const r of $$("input[name=digits]")) r.checked = r.value === (values.digits || "");
  $("#f-logo-name").textContent = logo ? `ไฟล์ ${logo.name}` : "";
  kept = unshown(values, readFields()) || {};
  if (kept.agency) delete kept.agency.logo; // the logo is the file picked, or none
  const names = Object.keys(kept).filter((k) => !FORM_KEYS.includes(k));
  $("#f-kept").textContent = names.length
    ? `ข้อมูลในไฟล์ที่แบบฟอร์มนี้ไม่มีช่องให้แก้ไข (${names.join(", ")}) เก็บไว้ตามเดิม และจะอยู่ในไฟล์ YAML และ PDF ที่สร้าง`
    : "";
}

// The part of value that shown (the form's fields) does not hold: a mapping's keys and a
// list's items that have no field, recursively; undefined when the form holds all of it.
function unshown(value, shown) {
  if (value === null || value === undefined) return undefined;
  if (shown === undefined) return value;
  if (Array.isArray(value)) {
    if (!Array.isArray(shown)) return undefined;
    const out = value.map((v, i) => unshown(v, shown[i]));
    return out.some((v) => v !== undefined) ? out : undefined;
  }
  if (typeof value === "object") {
    if (typeof shown !== "object" || shown === null) return undefined;
    const out = {};
    for (const [k, v] of Object.entries(value)) {
      const d = unshown(v, shown[k]);
      if (d !== undefined) out[k] = d;
    }
    return Object.keys(out).length ? out : undefined;
  }
  return undefined; // a text the form shows
}

// shown with extra (from unshown) put back; where both have a value, the form's wins.
function withKept(shown, extra) {
  if (extra === null || extra === undefined) return shown;
  if (shown === undefined) return extra;
  if (Array.isArray(shown) && Array.isArray(extra)) {
    const out = shown.slice();
    extra.forEach((v, i) => { if (v !== null && v !== undefined) out[i] = withKept(shown[i], v); });
    return out;
  }
  if (typeof shown === "object" && shown !== null && typeof extra === "object" && !Array.isArray(extra)) {
    const out = { ...shown };
    for (const [k, v] of Object.entries(extra)) out[k] = withKept(shown[k], v);
    return out;
  }
  return shown;
}

// ---- YAML ------------------------------------------------------------------------------------

const SCORE_TEXT = /^[0-9]+(\.[0-9]+)?$/;

function yamlScalar(v, plainNumber) {
  if (plainNumber && SCORE_TEXT.test(v)) return v;
  return JSON.stringify(String(v)); // a YAML double-quoted scalar
}

// A value the form has no field for, written back as a YAML flow value: mappings and lists in
// braces and brackets, numbers and plain keys as they are, every other text double-quoted.
const PLAIN_KEY = /^(?:[0-9]+|[A-Za-z_][A-Za-z0-9_]*)$/;
function flow(v) {
  if (v === null || v === undefined) return "~";
  if (Array.isArray(v)) return `[${v.map(flow).join(", ")}]`;
  if (typeof v === "object")
    return `{${Object.entries(v).map(([k, x]) => `${PLAIN_KEY.test(k) ? k : JSON.stringify(k)}: ${flow(x)}`).join(", ")}}`;
  return yamlScalar(v, true);
}

// The keys of a mapping that toYaml writes by name; the others are written with flow().
const FORM_KEYS = ["framework", "fiscal_year", "agency", "scores", "discuss", "history", "action_plan",
  "limitations", "report", "digits"];
const REPORT_KEYS = ["office", "date", "prepared_by", "approved_by"];
const SIGNER_KEYS = ["name", "position", "date"];
const AGENCY_KEYS = ["name", "short_name", "type", "subdistrict", "district", "province", "logo"];
const SCORE_KEYS = ["questions", "indicators", "tools", "overall", "grade", "label"];
const PLAN_KEYS = ["area", "measure", "approach", "steps", "responsible", "follow_up"];
const LIMIT_KEYS = ["topic", "detail"];

function others(map, known, indent) {
  return Object.entries(map || {}).filter(([k, v]) => !known.includes(k) && v !== undefined)
    .map(([k, v]) => `${indent}${PLAIN_KEY.test(k) ? k : JSON.stringify(k)}: ${flow(v)}\n`).join("");
}

function yamlList(items, indent) {
  return items.map((s) => `${indent}- ${yamlScalar(s, false)}\n`).join("");
}

// The input as YAML (docs/input-format.md); scores plain when they are numbers, everything
// else double-quoted, so that no text can change the document's structure.
function toYaml(values) {
  const num = (v) => yamlScalar(v, true);
  let y = "# itareport input, saved from the web form\n";
  y += `framework: ${values.framework}\nfiscal_year: ${values.fiscal_year}\n\nagency:\n`;
  for (const k of AGENCY_KEYS) {
    const v = values.agency && values.agency[k];
    if (v) y += `  ${k}: ${yamlScalar(v, false)}\n`;
  }
  y += others(values.agency, AGENCY_KEYS, "  ");
  const s = values.scores || {};
  y += "\nscores:\n";
  const q = s.questions || {};
  if (Object.keys(q).length) {
    y += "  questions:\n";
    for (const [id, v] of Object.entries(q)) {
      if (Array.isArray(v)) {
        const parts = Array.from({ length: v.length }, (_, i) => (v[i] === undefined ? "" : num(v[i])));
        if (parts.every((p) => p === "")) continue;
        y += `    ${id}: [${parts.map((p) => (p === "" ? "~" : p)).join(", ")}]\n`;
      } else {
        y += `    ${id}: ${num(v)}\n`;
      }
    }
  }
  for (const k of ["indicators", "tools"]) {
    const m = s[k] || {};
    if (!Object.keys(m).length) continue;
    y += `  ${k}:\n`;
    for (const [id, v] of Object.entries(m)) y += `    ${id}: ${num(v)}\n`;
  }
  if (s.overall) y += `  overall: ${num(s.overall)}\n`;
  if (s.grade) y += `  grade: ${yamlScalar(s.grade, false)}\n`;
  if (s.label) y += `  label: ${yamlScalar(s.label, false)}\n`;
  y += others(s, SCORE_KEYS, "  ");
  const disc = Object.entries(values.discuss || {}).filter(([, v]) => v && v.length);
  if (disc.length) {
    y += "\ndiscuss:\n";
    for (const [area, ids] of disc) y += `  ${area}: [${[].concat(ids).map((i) => yamlScalar(i, false)).join(", ")}]\n`;
  }
  const hist = (values.history || []).filter((h) => Object.keys(h).length);
  if (hist.length) {
    y += "\nhistory:\n";
    for (const h of hist) {
      let first = true;
      for (const [k, v] of Object.entries(h)) {
        y += `${first ? "  - " : "    "}${k}: ${typeof v === "object" ? flow(v) : num(v)}\n`;
        first = false;
      }
    }
  }
  const plan = (values.action_plan || []).filter((p) => Object.keys(p).length);
  if (plan.length) {
    y += "\naction_plan:\n";
    for (const p of plan) {
      y += `  - area: ${num(p.area || "")}\n`;
      if (p.measure) y += `    measure: ${yamlScalar(p.measure, false)}\n`;
      for (const k of ["approach", "steps"])
        if (p[k] && p[k].length) y += `    ${k}:\n${yamlList([].concat(p[k]), "      ")}`;
      if (p.responsible) y += `    responsible: ${yamlScalar(p.responsible, false)}\n`;
      if (p.follow_up && p.follow_up.length) y += `    follow_up:\n${yamlList([].concat(p.follow_up), "      ")}`;
      y += others(p, PLAN_KEYS, "    ");
    }
  }
  const lim = (values.limitations || []).filter((l) => l.topic || l.detail);
  if (lim.length) {
    y += "\nlimitations:\n";
    for (const l of lim) {
      y += `  - topic: ${yamlScalar(l.topic || "", false)}\n`;
      if (l.detail) y += `    detail: ${yamlScalar(l.detail, false)}\n`;
      y += others(l, LIMIT_KEYS, "    ");
    }
  }
  const r = values.report || {};
  const signers = ["prepared_by", "approved_by"].filter((k) => r[k] && Object.keys(r[k]).length);
  if (r.office || r.date || signers.length || Object.keys(r).some((k) => !REPORT_KEYS.includes(k))) {
    y += "\nreport:\n";
    for (const k of ["office", "date"]) if (r[k]) y += `  ${k}: ${yamlScalar(r[k], false)}\n`;
    for (const k of signers) {
      y += `  ${k}:\n`;
      for (const f of SIGNER_KEYS) if (r[k][f]) y += `    ${f}: ${yamlScalar(r[k][f], false)}\n`;
      y += others(r[k], SIGNER_KEYS, "    ");
    }
    y += others(r, REPORT_KEYS, "  ");
  }
  for (const k of Object.keys(values).filter((k) => !FORM_KEYS.includes(k)))
    if (values[k] !== undefined) y += `\n${PLAIN_KEY.test(k) ? k : JSON.stringify(k)}: ${flow(values[k])}\n`;
  return y;
}

// ---- checking as one types ------------------------------------------------------------------

function inputName(values) {
  const a = values.agency || {};
  const base = (a.short_name || a.name || "input").replace(/[\/\\"\x00-\x1f]/g, "");
  return `${base}-${values.fiscal_year}.yaml`;
}

function fieldFor(path) {
  const esc = (p) => CSS.escape(p);
  let p = path || "";
  while (p) {
    const e = $(`[data-path="${esc(p)}"]`);
    if (e) return e;
    if (/\[\d+\]$/.test(p)) p = p.replace(/\[\d+\]$/, "");
    else if (p.includes(".")) p = p.slice(0, p.lastIndexOf("."));
    else break;
    // a question given as a list whose first part is the field
    const first = $(`[data-path="${esc(p)}[0]"]`);
    if (first) return first;
  }
  return null;
}

function clearErrors() {
  for (const e of $$(".field-error")) e.remove();
  for (const e of $$("[aria-invalid]")) { e.removeAttribute("aria-invalid"); e.removeAttribute("aria-describedby"); }
  $("#r-errors").replaceChildren();
}

function showDiagnostics(list) {
  clearErrors();
  let n = 0;
  for (const d of list) {
    if (d.severity === "note") continue;
    const field = fieldFor(d.path);
    const text = d.message;
    if (field) {
      const id = `err-${n++}`;
      const msg = el("div", { class: "field-error", id, role: "alert", text });
      field.setAttribute("aria-invalid", "true");
      field.setAttribute("aria-describedby", id);
      const holder = field.closest(".q") || field.closest("label") || field;
      holder.after(msg);
    }
    $("#r-errors").append(el("li", { text: d.severity === "warning" ? `คำเตือน: ${text}` : text }));
  }
}

function showResult(json) {
  const set = (id, v) => { $(id).textContent = v === null || v === undefined ? "–" : v; };
  if (json.valid === false) {
    for (const id of ["#r-overall", "#r-grade", "#r-label", "#r-passed"]) set(id, null);
    $("#r-status").textContent = "ข้อมูลยังไม่ครบถ้วนหรือมีข้อผิดพลาด";
  } else {
    set("#r-overall", json.overall);
    set("#r-grade", json.grade);
    set("#r-label", json.label_undetermined ? "ยังระบุไม่ได้จากข้อมูลที่ให้" : json.label);
    set("#r-passed", json.overall === null ? null : json.passed ? "ผ่าน" : "ไม่ผ่าน");
    $("#r-status").textContent = "ข้อมูลถูกต้อง จัดทำรายงานได้";
  }
  showDiagnostics(json.diagnostics || []);
}

async function check() {
  const values = readForm();
  const seq = ++checkSeq;
  try {
    const r = await fetch(`/api/check?name=${encodeURIComponent(inputName(values))}`,
      { method: "POST", body: toYaml(values) });
    const json = await r.json();
    if (seq === checkSeq) showResult(json);
  } catch (e) {
    $("#r-status").textContent = `ติดต่อเครื่องแม่ข่ายไม่ได้ (${e.message})`;
  }
}

function changed() {
  saveDraft();
  clearTimeout(checkTimer);
  checkTimer = setTimeout(check, CHECK_DELAY_MS);
}

// ---- the draft -------------------------------------------------------------------------------

function saveDraft() {
  try {
    localStorage.setItem(DRAFT_KEY, JSON.stringify({ values: readForm(), logo }));
  } catch (e) {
    $("#r-status").textContent = "บันทึกร่างในเบราว์เซอร์ไม่ได้ (พื้นที่เต็ม)";
  }
}

function loadDraft() {
  try {
    const d = JSON.parse(localStorage.getItem(DRAFT_KEY) || "null");
    if (d && d.values) { logo = d.logo || null; return d.values; }
  } catch (e) { /* a damaged draft: start afresh */ }
  return null;
}

// ---- pasting a block of scores ---------------------------------------------------------------

function pasteScores(event) {
  const target = event.target;
  if (!target.classList || !target.classList.contains("score")) return;
  const text = (event.clipboardData || window.clipboardData).getData("text").replace(/\r/g, "");
  if (!/[\t\n]/.test(text.trim())) return; // one value: the browser's own paste
  event.preventDefault();
  const lines = text.replace(/\r/g, "").split("\n").filter((l) => l.trim() !== "");
  const byId = lines.every((l) => /^\s*[A-Za-z]+\d+\s*\t/.test(l));
  if (byId) {
    // lines of id<TAB>score (EIT: id<TAB>part 1<TAB>part 2)
    for (const l of lines) {
      const [id, ...vals] = l.split("\t").map((s) => s.trim());
      const one = $(`[data-path="scores.questions.${CSS.escape(id)}"]`);
      if (one) { one.value = vals[0] || ""; continue; }
      vals.forEach((v, i) => {
        const part = $(`[data-path="scores.questions.${CSS.escape(id)}[${i}]"]`);
        if (part) part.value = v;
      });
    }
  } else {
    // cells of a spreadsheet block, in field order: an empty cell leaves its field empty;
    // from a question's field only questions' fields are filled
    const cells = text.replace(/\n+$/, "").split(/\t|\n/).map((s) => s.trim());
    const question = target.dataset.path.startsWith("scores.questions.");
    const fields = $$("#score-fields input.score").filter((f) =>
      !question || f.dataset.path.startsWith("scores.questions."));
    let i = fields.indexOf(target);
    for (const v of cells) {
      if (i < 0 || i >= fields.length) break;
      fields[i++].value = v;
    }
  }
  changed();
}

// ---- buttons ---------------------------------------------------------------------------------

function download(blob, name) {
  const a = $("#download");
  const url = URL.createObjectURL(blob);
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
}

async function makePdf() {
  const values = readForm();
  const name = inputName(values);
  const yaml = new TextEncoder().encode(toYaml(values));
  let body = yaml;
  let query = `name=${encodeURIComponent(name)}`;
  if (values.digits) query += `&digits=${values.digits}`;
  if (logo) {
    const bytes = Uint8Array.from(atob(logo.base64), (c) => c.charCodeAt(0));
    body = new Uint8Array(bytes.length + yaml.length);
    body.set(bytes, 0);
    body.set(yaml, bytes.length);
    query += `&logo_size=${bytes.length}`;
  }
  $("#r-status").textContent = "กำลังจัดทำรายงาน…";
  try {
    const r = await fetch(`/api/render?${query}`, { method: "POST", body });
    if (r.ok) {
      download(await r.blob(), name.replace(/\.ya?ml$/, "") + ".pdf");
      $("#r-status").textContent = "จัดทำรายงานแล้ว";
    } else if (r.headers.get("Content-Type").startsWith("application/json")) {
      const json = await r.json();
      showDiagnostics(json.diagnostics || []);
      $("#r-status").textContent = "จัดทำรายงานไม่ได้: แก้ไขข้อผิดพลาดที่แสดงไว้ก่อน";
    } else {
      $("#r-status").textContent = `จัดทำรายงานไม่ได้ (${r.status}) ${await r.text()}`;
    }
  } catch (e) {
    $("#r-status").textContent = `ติดต่อเครื่องแม่ข่ายไม่ได้ (${e.message})`;
  }
}

function saveYaml() {
  const values = readForm();
  download(new Blob([toYaml(values)], { type: "text/yaml" }), inputName(values));
}

// The input's structure as the form holds it: texts, lists of lines, rows.
function normalise(input) {
  const v = JSON.parse(JSON.stringify(input || {}));
  for (const p of v.action_plan || [])
    for (const k of ["approach", "steps", "follow_up"])
      if (typeof p[k] === "string") p[k] = [p[k]];
  v.limitations = (v.limitations || []).map((l) => (typeof l === "string" ? { topic: l } : l));
  return v;
}

async function openYaml(file) {
  const text = await file.text();
  const r = await fetch(`/api/parse?name=${encodeURIComponent(file.name)}`, { method: "POST", body: text });
  const json = await r.json();
  if (json.valid === false) {
    showDiagnostics(json.diagnostics || []);
    $("#r-status").textContent = `เปิดไฟล์ ${file.name} ไม่ได้`;
    return;
  }
  const values = normalise(json.input);
  const logoName = values.agency && values.agency.logo;
  if (!logo || logo.name !== logoName) logo = null;
  fillForm(values);
  $("#r-status").textContent = `เปิดไฟล์ ${file.name} แล้ว` +
    (logoName && !logo ? ` (เลือกไฟล์ตราสัญลักษณ์ ${logoName} อีกครั้ง)` : "");
  changed();
}

function pickLogo(file) {
  const reader = new FileReader();
  reader.onload = () => {
    const base64 = String(reader.result).replace(/^data:[^,]*,/, "");
    logo = { name: file.name.replace(/[\/\\"\x00-\x1f]/g, ""), type: file.type, base64 };
    $("#f-logo-name").textContent = `ไฟล์ ${logo.name}`;
    changed();
  };
  reader.readAsDataURL(file);
}

// ---- start -----------------------------------------------------------------------------------

async function start() {
  const [f, p] = await Promise.all([
    fetch("/api/frameworks").then((r) => r.json()),
    fetch("/api/provinces").then((r) => r.json()),
  ]);
  catalogue = f;
  provinces = p.provinces;
  const sel = $("#f-framework");
  for (const x of catalogue.frameworks)
    sel.append(el("option", { value: x.id, text: `พ.ศ. ${x.fiscal_year}${x.provisional ? " (ข้อมูลเบื้องต้น)" : ""}` }));
  const prov = $("#f-province");
  prov.append(el("option", { value: "", text: "— เลือกจังหวัด —" }));
  for (const name of provinces) prov.append(el("option", { value: name, text: name }));

  const values = loadDraft() || { framework: catalogue.frameworks[0].id };
  fillForm(values);

  const form = $("#form");
  form.addEventListener("input", (e) => { if (e.target.type !== "file") changed(); });
  form.addEventListener("change", (e) => {
    if (e.target.id === "f-framework") {
      const v = readForm();
      v.framework = e.target.value;
      const next = catalogue.frameworks.find((x) => x.id === v.framework);
      v.fiscal_year = String(next.fiscal_year);
      fillForm(v);
      changed();
    }
  });
  form.addEventListener("paste", pasteScores);
  form.addEventListener("submit", (e) => e.preventDefault());
  $("#b-pdf").addEventListener("click", makePdf);
  $("#b-save").addEventListener("click", saveYaml);
  $("#b-open").addEventListener("change", (e) => { if (e.target.files[0]) openYaml(e.target.files[0]); e.target.value = ""; });
  $("#f-logo").addEventListener("change", (e) => { if (e.target.files[0]) pickLogo(e.target.files[0]); });
  $("#b-clear").addEventListener("click", () => {
    localStorage.removeItem(DRAFT_KEY);
    logo = null;
    fillForm({ framework: $("#f-framework").value });
    changed();
  });
  for (const [id, kind] of [["#b-history", "history"], ["#b-plan", "action_plan"], ["#b-limit", "limitations"]])
    $(id).addEventListener("click", () => {
      const v = readForm();
      v[kind].push({});
      fillForm(v);
      changed();
    });
  document.body.dataset.ready = "1";
  check();
}

start().catch((e) => {
  $("#r-status").textContent = `เริ่มหน้าเว็บไม่ได้ (${e.message})`;
});
