// The README's screenshot of the web form (docs/serve.png): chromium headless through
// puppeteer-core, the seed opened in the form and one score mistyped, at 1,024 px.
//   node tests/browser/screenshot.js URL OUT.png
"use strict";
const path = require("path");
const puppeteer = require("puppeteer-core");
const [url, out] = process.argv.slice(2);
(async () => {
  const args = ["--disable-gpu", "--window-size=1024,1100"];
  if (process.getuid && process.getuid() === 0) args.push("--no-sandbox");
  const browser = await puppeteer.launch({ executablePath: "/usr/bin/chromium", headless: true, args });
  const page = await browser.newPage();
  await page.setViewport({ width: 1024, height: 1100 });
  await page.goto(url, { waitUntil: "networkidle0" });
  await page.waitForSelector("body[data-ready]");
  const input = await page.$("#b-open");
  await input.uploadFile(path.resolve(__dirname, "../../samples/sepholoe-2566.yaml"));
  await page.waitForFunction(() => document.querySelector("[data-path='agency.name']").value !== "");
  await page.click("[data-path='scores.questions.i1']", { clickCount: 3 });
  await page.keyboard.type("140");
  await new Promise((r) => setTimeout(r, 400));
  await page.waitForNetworkIdle({ idleTime: 300 });
  await page.evaluate(() => document.querySelector("#scores").scrollIntoView());
  await page.evaluate(() => window.scrollBy(0, -260));
  await page.screenshot({ path: out });
  await browser.close();
})().catch((e) => { console.error(e); process.exit(1); });
