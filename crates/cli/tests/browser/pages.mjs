// Every page at a desktop width (1280 px) and a phone's (390 px), in headless Chromium: the page
// must not scroll sideways (a wide table scrolls in its own region instead), and axe-core must
// report no serious or critical accessibility violation. Run by crates/cli/tests/dashboard.rs as
// `node pages.mjs BASE_URL` with ROUTES (a JSON list of {path, as, status}: `as` names a user, or is
// null for an anonymous visit; status defaults to 200) and SESSIONS (a JSON object: user -> session cookie value). Every problem on every page is listed before the
// run fails, so one run shows all the work to do.
import { chromium } from "playwright-core";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const base = process.argv[2];
const routes = JSON.parse(process.env.ROUTES);
const sessions = JSON.parse(process.env.SESSIONS);
const exe = process.env.CHROMIUM || execFileSync("sh", ["-c", "command -v chromium || command -v chromium-browser"]).toString().trim();
const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const WIDTHS = [1280, 390];

const problems = [];
const browser = await chromium.launch({ executablePath: exe, args: ["--headless", "--no-sandbox", "--disable-gpu"] });
try {
  for (const width of WIDTHS) {
    // bypassCSP: the pages forbid inline scripts, and axe is injected as one.
    const context = await browser.newContext({ viewport: { width, height: 900 }, bypassCSP: true });
    const host = new URL(base).hostname;
    for (const { path, as, status = 200 } of routes) {
      await context.clearCookies();
      if (as) await context.addCookies([{ name: "attache_session", value: sessions[as], domain: host, path: "/" }]);
      const page = await context.newPage();
      page.setDefaultTimeout(20000);
      const where = `${path} at ${width} px${as ? " as " + as : ""}`;
      const resp = await page.goto(base + path, { waitUntil: "load" });
      if (!resp || resp.status() !== status) {
        problems.push(`${where}: HTTP ${resp && resp.status()}, expected ${status}`);
        await page.close();
        continue;
      }
      const overflow = await page.evaluate(() => {
        const doc = document.documentElement;
        const over = doc.scrollWidth - doc.clientWidth;
        if (over <= 1) return null;
        // Name the widest offenders: elements whose right edge passes the viewport.
        const wide = [...document.querySelectorAll("body *")]
          .filter((e) => e.getBoundingClientRect().right > doc.clientWidth + 1 && !e.closest(".table-scroll"))
          .filter((e) => ![...e.children].some((c) => c.getBoundingClientRect().right > doc.clientWidth + 1))
          .slice(0, 3)
          .map((e) => {
            const up = e.closest("[id]");
            return (up ? "#" + up.id + " " : "") + e.outerHTML.slice(0, 70);
          });
        return { over, wide };
      });
      if (overflow) problems.push(`${where}: scrolls sideways by ${overflow.over} px (${overflow.wide.join(", ")})`);
      await page.addScriptTag({ content: axeSource });
      const result = await page.evaluate(async () => await window.axe.run(document, { resultTypes: ["violations"] }));
      for (const v of result.violations) {
        if (v.impact !== "serious" && v.impact !== "critical") continue;
        const nodes = v.nodes.slice(0, 2).map((n) => n.target.join(" ")).join("; ");
        problems.push(`${where}: axe ${v.impact} ${v.id} (${v.nodes.length}x: ${nodes}): ${v.help}`);
      }
      console.log(`checked ${where}`);
      await page.close();
    }
    await context.close();
  }
} finally {
  await browser.close();
}
if (problems.length) {
  console.log(problems.join("\n"));
  console.log(`FAILED: ${problems.length} problems`);
  process.exit(1);
}
console.log(`ok: ${routes.length} routes at ${WIDTHS.join(" and ")} px, no sideways scrolling, axe clean`);
