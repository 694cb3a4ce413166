// The web form of itareport serve in a real browser: Debian's chromium, headless, driven by
// puppeteer-core (pinned in package-lock.json). Run by tests/e2e/serve.sh:
//   node tests/browser/form.test.js URL ITAREPORT TMPDIR
// Prints "ok N - ..." / "not ok N - ..." per check and closes with "N passed, M failed".
"use strict";

const fs = require("fs");
const path = require("path");
const { execFileSync } = require("child_process");
const puppeteer = require("puppeteer-core");

const [url, itareport, tmp] = process.argv.slice(2);
const repo = path.resolve(__dirname, "../..");
const seedFile = path.join(repo, "samples/sepholoe-2566.yaml");
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const STEP_MS = 20000; // each wait; the whole run is bounded by serve.sh's time limit

let passed = 0, failed = 0, n = 0;
function ok(cond, what, detail) {
  n++;
  if (cond) { passed++; console.log(`ok ${n} - ${what}`); }
  else { failed++; console.log(`not ok ${n} - ${what}${detail ? `: ${detail}` : ""}`); }
}

function pdfText(file) {
  return execFileSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8" });
}

async function api(pathname, body) {
  const r = await fetch(new URL(pathname, url), { method: "POST", body });
  return r.json();
}

// Runs action and waits for the file it downloads (each into a folder of its own, since the
// browser replaces a download of the same name), returns its path.
async function download(cdp, action) {
  const dir = fs.mkdtempSync(path.join(tmp, "download-"));
  await cdp.send("Browser.setDownloadBehavior", { behavior: "allow", downloadPath: dir });
  await action();
  const until = Date.now() + STEP_MS;
  while (Date.now() < until) {
    const files = fs.readdirSync(dir).filter((f) => !f.endsWith(".crdownload"));
    if (files.length) return path.join(dir, files[0]);
    await new Promise((r) => setTimeout(r, 100));
  }
  return null;
}

async function setValue(page, p, value) {
  const sel = `[data-path="${p}"]`;
  const tag = await page.$eval(sel, (e) => e.tagName);
  if (tag === "SELECT") {
    await page.select(sel, value);
  } else {
    await page.click(sel, { clickCount: 3 });
    await page.keyboard.press("Backspace");
    await page.type(sel, value);
  }
}

async function paste(page, p, text) {
  await page.$eval(`[data-path="${p}"]`, (e, t) => {
    e.focus();
    const dt = new DataTransfer();
    dt.setData("text/plain", t);
    e.dispatchEvent(new ClipboardEvent("paste", { clipboardData: dt, bubbles: true, cancelable: true }));
  }, text);
}

async function settled(page) {
  // the check runs 300 ms after the last change; wait for its answer
  await new Promise((r) => setTimeout(r, 400));
  await page.waitForNetworkIdle({ idleTime: 200, timeout: STEP_MS });
}

async function main() {
  if (!fs.existsSync(CHROMIUM)) {
    console.log(`not ok 1 - chromium is not installed at ${CHROMIUM} (make deps installs it)`);
    console.log("0 passed, 1 failed");
    process.exit(1);
  }
  const args = ["--disable-gpu", "--disable-dev-shm-usage", "--window-size=1024,900"];
  if (process.getuid && process.getuid() === 0) args.push("--no-sandbox");
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM, headless: true, args,
    userDataDir: fs.mkdtempSync(path.join(tmp, "profile-")),
  });
  const problems = [];
  try {
    const page = await browser.newPage();
    await page.setViewport({ width: 1024, height: 900 });
    page.on("console", (m) => { if (m.type() === "error") problems.push(`console: ${m.text()}`); });
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    page.on("requestfailed", (r) => problems.push(`request failed: ${r.url()}`));
    page.setDefaultTimeout(STEP_MS);
    const cdp = await page.createCDPSession();

    await page.goto(url, { waitUntil: "networkidle0" });
    await page.waitForSelector("body[data-ready]");
    ok(await page.$eval("html", (e) => e.lang) === "th", "the page is in Thai");
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    ok(width <= 1024, "the page fits 1,024 px without scrolling sideways", `${width} px`);

    // The seed's data, as the server reads it.
    const seed = (await api("/api/parse?name=sepholoe-2566.yaml", fs.readFileSync(seedFile))).input;
    const fws = await (await fetch(new URL("/api/frameworks", url))).json();
    const fw = fws.frameworks.find((f) => f.id === "ita-2566");

    // Typing the agency, pasting the scores.
    await setValue(page, "framework", "ita-2566");
    for (const k of ["name", "short_name", "subdistrict", "district"])
      await setValue(page, `agency.${k}`, seed.agency[k]);
    await setValue(page, "agency.type", seed.agency.type);
    await setValue(page, "agency.province", seed.agency.province);
    const q = seed.scores.questions;
    const tool = (id) => fw.tools.find((t) => t.id === id);
    const ids = (t) => t.indicators.flatMap((i) => i.questions.map((x) => x.id));
    // IIT as lines of id<TAB>score, EIT and OIT as a spreadsheet block in field order
    await paste(page, "scores.questions.i1", ids(tool("iit")).map((id) => `${id}\t${q[id]}`).join("\n"));
    const eit = ids(tool("eit")).map((id) => (q[id] ? q[id].join("\t") : "\t")).join("\n");
    const oit = ids(tool("oit")).map((id) => q[id] || "").join("\n");
    await paste(page, "scores.questions.e1[0]", `${eit}\n${oit}\n`);
    for (const [k, v] of Object.entries(seed.scores.indicators)) await setValue(page, `scores.indicators.${k}`, v);
    for (const [k, v] of Object.entries(seed.scores.tools)) await setValue(page, `scores.tools.${k}`, v);
    await setValue(page, "scores.overall", seed.scores.overall);
    for (const [k, v] of Object.entries(seed.discuss)) await setValue(page, `discuss.${k}`, v.join(", "));
    await settled(page);
    const got = await page.$eval("[data-path='scores.questions.e10[1]']", (e) => e.value);
    ok(got === q.e10[1], "a pasted block fills the fields in order", `e10 part 2 = '${got}'`);
    const got2 = await page.$eval("[data-path='scores.questions.o43']", (e) => e.value);
    ok(got2 === q.o43, "the block reaches the last OIT question", `o43 = '${got2}'`);
    const overall = await page.$eval("#r-overall", (e) => e.textContent);
    const cli = JSON.parse(execFileSync(itareport, ["check", "--json", seedFile], { encoding: "utf8" }));
    ok(overall === String(cli.overall), "the overall shows as computed by check", `${overall} vs ${cli.overall}`);
    ok(await page.$eval("#r-grade", (e) => e.textContent) === cli.grade, "the grade shows");
    ok(await page.$eval("#r-label", (e) => e.textContent) === cli.label, "the label shows");
    ok(await page.$eval("#r-passed", (e) => e.textContent) === (cli.passed ? "ผ่าน" : "ไม่ผ่าน"), "pass or fail shows");

    // A score of 140: a Thai error beside the field, cleared when fixed.
    await setValue(page, "scores.questions.i8", "140");
    await settled(page);
    const err = await page.evaluate(() => {
      const f = document.querySelector("[data-path='scores.questions.i8']");
      const id = f.getAttribute("aria-describedby");
      const e = id && document.getElementById(id);
      return e && f.closest(".q").nextElementSibling === e ? e.textContent : null;
    });
    ok(err && /คะแนน 140/.test(err), "a score of 140 shows a Thai error beside its field", err);
    await setValue(page, "scores.questions.i8", q.i8);
    await settled(page);
    ok(await page.$$eval(".field-error", (l) => l.length) === 0, "fixing the score clears the error");

    // Keyboard alone: Tab reaches the PDF button, Enter makes the PDF.
    await page.focus("#b-clear");
    await page.keyboard.down("Shift"); await page.keyboard.press("Tab"); await page.keyboard.up("Shift");
    const focused = await page.evaluate(() => document.activeElement.id || document.activeElement.htmlFor || document.activeElement.tagName);
    ok(focused === "b-open", "Shift+Tab moves between the buttons", focused);
    // Save the YAML the form holds, then make its PDF with Enter on the button.
    const yamlFile = await download(cdp, () => page.click("#b-save"));
    ok(yamlFile && yamlFile.endsWith(".yaml"), "the input is saved as a YAML file", yamlFile);
    await page.focus("#b-pdf");
    const pdfFile = await download(cdp, () => page.keyboard.press("Enter"));
    ok(pdfFile && pdfFile.endsWith(".pdf"), "the PDF button downloads a PDF", pdfFile);
    if (yamlFile && pdfFile) {
      const dir = fs.mkdtempSync(path.join(tmp, "cli-"));
      const input = path.join(dir, path.basename(yamlFile));
      fs.copyFileSync(yamlFile, input);
      execFileSync(itareport, ["render", input, "-o", path.join(dir, "cli.pdf")]);
      ok(pdfText(pdfFile) === pdfText(path.join(dir, "cli.pdf")),
        "the PDF has the text itareport render gives for the same data");
      const seedPdf = path.join(dir, "seed.pdf");
      execFileSync(itareport, ["render", seedFile, "-o", seedPdf]);
      const text = pdfText(pdfFile);
      ok(text.includes(cli.overall) && text.includes(seed.agency.name),
        "the PDF made from the typed form carries the seed's figures and agency");
    }

    // A reload keeps the draft.
    await page.reload({ waitUntil: "networkidle0" });
    await page.waitForSelector("body[data-ready]");
    ok(await page.$eval("[data-path='agency.name']", (e) => e.value) === seed.agency.name &&
       await page.$eval("[data-path='scores.questions.e10[1]']", (e) => e.value) === q.e10[1],
      "a reload keeps the draft");

    // Opening the seed's YAML fills the form; its PDF is the CLI's text.
    await page.click("#b-clear");
    await settled(page);
    const input = await page.$("#b-open");
    await input.uploadFile(seedFile);
    await page.waitForFunction((n) => document.querySelector("[data-path='agency.name']").value === n, {}, seed.agency.name);
    await settled(page);
    const filled = await page.evaluate(() => ({
      plan: document.querySelectorAll("[data-row=plan]").length,
      limits: document.querySelectorAll("[data-row=limits]").length,
      i8: document.querySelector("[data-path='scores.questions.i8']").value,
    }));
    ok(filled.plan === seed.action_plan.length && filled.limits === seed.limitations.length &&
       filled.i8 === q.i8, "opening samples/sepholoe-2566.yaml fills the form", JSON.stringify(filled));
    const pdf2 = await download(cdp, () => page.click("#b-pdf"));
    if (pdf2) {
      const dir = fs.mkdtempSync(path.join(tmp, "seed-"));
      const cliPdf = path.join(dir, "seed.pdf");
      execFileSync(itareport, ["render", seedFile, "-o", cliPdf]);
      const a = pdfText(pdf2).split("\n"), b = pdfText(cliPdf).split("\n");
      const differ = a.filter((l, i) => l !== b[i]).length + Math.abs(a.length - b.length);
      ok(differ === 0, "the seed opened in the form gives the text of itareport render of the seed",
        `${differ} lines differ`);
    } else {
      const why = await page.evaluate(() => document.querySelector("#r-status").textContent + " " +
        document.querySelector("#r-errors").textContent);
      ok(false, "the seed opened in the form gives a PDF", why);
    }
    // A file with what the form has no field for (focus, an earlier year's indicators): kept,
    // said so, and in the PDF and in the YAML saved from the form.
    const keptFile = path.join(repo, "samples/kranuan-2568.yaml");
    await page.click("#b-clear");
    await settled(page);
    await (await page.$("#b-open")).uploadFile(keptFile);
    await page.waitForFunction(() => document.querySelector("#f-kept").textContent !== "", { timeout: STEP_MS });
    await settled(page);
    const keptNote = await page.$eval("#f-kept", (e) => e.textContent);
    ok(/focus/.test(keptNote), "opening a file says which of its parts the form keeps without a field", keptNote);
    const keptDir = fs.mkdtempSync(path.join(tmp, "kept-"));
    const keptCli = path.join(keptDir, "cli.pdf");
    execFileSync(itareport, ["render", keptFile, "-o", keptCli]);
    const sameText = (a, b) => {
      const x = pdfText(a).split("\n"), y = pdfText(b).split("\n");
      return x.filter((l, i) => l !== y[i]).length + Math.abs(x.length - y.length);
    };
    const keptPdf = await download(cdp, () => page.click("#b-pdf"));
    ok(keptPdf && sameText(keptPdf, keptCli) === 0,
      "a file with focus and earlier indicators gives the text of itareport render of it", keptPdf);
    const keptYaml = await download(cdp, () => page.click("#b-save"));
    if (keptYaml) {
      const again = path.join(keptDir, "again.pdf");
      execFileSync(itareport, ["render", keptYaml, "-o", again]);
      ok(sameText(again, keptCli) === 0, "the YAML saved from that form renders to the same text",
        fs.readFileSync(keptYaml, "utf8").split("\n").filter((l) => /focus|indicators/.test(l)).join(" | "));
    } else {
      ok(false, "the YAML saved from that form renders to the same text", "no download");
    }
    // The sign-off typed into the form reaches the cover and the sign-off block.
    await setValue(page, "report.office", "สำนักปลัด");
    await setValue(page, "report.date", "2568-03");
    await setValue(page, "report.prepared_by.name", "นางสาวสมใจ ใจดี");
    await setValue(page, "report.prepared_by.position", "นักวิเคราะห์นโยบายและแผน");
    await setValue(page, "report.prepared_by.date", "2568-03-15");
    await settled(page);
    const signed = await download(cdp, () => page.click("#b-pdf"));
    const signedText = signed ? pdfText(signed) : "";
    ok(/มีนาคม 2568/.test(signedText) && /\(นางสาวสมใจ ใจดี\)/.test(signedText) &&
       /วันที่ 15 มีนาคม 2568/.test(signedText),
      "the sign-off typed into the form is on the cover and in the sign-off block", signedText.slice(0, 200));
    ok(problems.length === 0, "no console errors", [...new Set(problems)].slice(0, 3).join("; "));
  } finally {
    await browser.close();
  }
}

main().catch((e) => { ok(false, "the browser test ran to its end", e.stack); })
  .finally(() => {
    console.log(`${passed} passed, ${failed} failed`);
    process.exit(failed ? 1 : 0);
  });
