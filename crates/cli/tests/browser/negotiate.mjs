// Headless Chromium at 390 px: an analyst edits an actor's position in the negotiation tracker
// and the proposal page changes accordingly. The proposal for Austria and the United States is
// read first; the analyst then codes the United States as preferring a legally binding
// instrument above all (a hypothetical edit, labelled as such); the matrix, the history and
// the proposal follow. The Rust side then reads the edit on the audit record. Run by
// crates/cli/tests/dashboard.rs as `node negotiate.mjs BASE_URL` with PASSWORD set.
import { chromium } from "playwright-core";
import { execFileSync } from "node:child_process";

const base = process.argv[2];
const password = process.env.PASSWORD;
const exe = process.env.CHROMIUM || execFileSync("sh", ["-c", "command -v chromium || command -v chromium-browser"]).toString().trim();

function check(cond, what) {
  if (!cond) throw new Error("FAILED: " + what);
  console.log("ok: " + what);
}

const browser = await chromium.launch({ executablePath: exe, args: ["--headless", "--no-sandbox", "--disable-gpu"] });
try {
  const ctx = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await ctx.newPage();
  page.setDefaultTimeout(20000);
  await page.goto(base + "/login", { waitUntil: "load" });
  await page.locator("input[name=name]").fill("ana");
  await page.locator("input[name=password]").fill(password);
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith("/login")), page.getByRole("button", { name: "Sign in" }).click()]);

  const proposalUrl = base + "/negotiate/laws-ccw/proposal?parties=AUT,USA&vary=USA:instrument";
  await page.goto(proposalUrl, { waitUntil: "load" });
  const before = await page.locator("#proposal").getAttribute("data-package");
  check(before && before.length > 0, `a proposal for Austria and the United States: ${before}`);
  check((await page.locator("#proposal-criterion").textContent()).includes("worst-off party"), "the criterion is said in words");
  const usBefore = await page.locator("#standings tr[data-actor=USA] td").nth(1).textContent();

  await page.goto(base + "/negotiate/laws-ccw", { waitUntil: "load" });
  await page.locator("#pf-actor").selectOption("USA");
  await page.locator("#pf-issue").selectOption("instrument");
  await page.locator("#pf-support").fill("0, 0.2, 1");
  await page.locator("#pf-weight").fill("90");
  await page.locator("#pf-red").fill("");
  await page.locator("#pf-source").fill("Hypothetical coding for a browser test, not a public statement");
  await page.locator("#pf-date").fill("2026-12-01");
  await page.locator("#pf-note").fill("Browser test: what if the United States backed a treaty");
  await Promise.all([page.waitForURL(/\/negotiate\/laws-ccw$/), page.getByRole("button", { name: "Save the position" }).click()]);
  const cell = await page.locator("#positions-matrix tr[data-actor=USA] td[data-issue=instrument]").textContent();
  check(cell.includes("Legally binding instrument") && cell.includes("(90)"), `the matrix shows the edit: ${cell}`);
  const hist = await page.locator("#tracker-history tbody tr").first().textContent();
  check(hist.includes("ana") && hist.includes("USA on instrument") && hist.includes("what if the United States backed a treaty"), "the history shows who, what and why");

  await page.goto(proposalUrl, { waitUntil: "load" });
  const after = await page.locator("#proposal").getAttribute("data-package");
  check(after !== before, `the proposal changed: ${after}`);
  check(after.includes("Legally binding instrument"), "both parties now prefer a binding instrument, and the proposal has one");
  const usAfter = await page.locator("#standings tr[data-actor=USA] td").nth(1).textContent();
  check(usAfter !== usBefore, `the United States' utility under the proposal moved (${usBefore} -> ${usAfter})`);
  // The download equals the page.
  const r = await page.request.get(proposalUrl + "&format=csv");
  const rows = (await r.text()).trim().split("\n");
  const proposed = rows.slice(1).map((l) => l.split(",")).filter((c) => c[1] === "true").map((c) => c[0]);
  check(proposed.length === 1 && proposed[0] === after, "the download marks the same package as proposed");
} finally {
  await browser.close();
}
