// Headless Chromium: an analyst works an alert. The alerts page lists the CUSUM alert raised on
// the imported surge; its evidence opens; a dismissal without a note is refused, one with a note
// is recorded and shown with the analyst's name. The Rust side then reads the note on the audit
// record. Run by crates/cli/tests/dashboard.rs as `node alerts.mjs BASE_URL` with PASSWORD set.
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
  await page.goto(base + "/alerts?country=IND&rule=nb_cusum", { waitUntil: "load" });
  const rows = await page.locator("#alerts tbody tr").count();
  check(rows > 0, `the alerts page lists the surge's CUSUM alerts (${rows})`);
  await Promise.all([page.waitForURL(/\/alerts\/nb_cusum/), page.locator("#alerts tbody tr").first().locator("a").first().click()]);
  check((await page.locator("#evidence tbody tr").count()) > 0, "the alert's evidence opens");
  check((await page.locator("#alert-state").textContent()).includes("new"), "a new alert");
  // Dismissing needs a note.
  const alertUrl = page.url();
  const [refused] = await Promise.all([page.waitForResponse((r) => r.url().endsWith("/state")), page.getByRole("button", { name: "Dismiss" }).click()]);
  check(refused.status() === 422, `a dismissal without a note is refused (${refused.status()})`);
  // Back to the alert by its address once the refusal page has loaded (going back in history
  // while that navigation was still committing failed with "Not attached to an active page").
  await page.waitForLoadState("load");
  await page.goto(alertUrl, { waitUntil: "load" });
  await page.locator("#alert-note").fill("Army exercise announced in advance, not fighting.");
  await Promise.all([page.waitForURL(/\/alerts\/nb_cusum[^/]*$/), page.getByRole("button", { name: "Dismiss" }).click()]);
  check((await page.locator("#alert-state").textContent()).includes("dismissed"), "the alert is dismissed");
  const hist = await page.locator("#alert-history").textContent();
  check(hist.includes("ana") && hist.includes("Army exercise announced in advance"), "the step shows who and why");
  check((await page.locator("#alert-form").count()) === 0, "a dismissed alert takes no more steps");
  await page.goto(base + "/alerts?country=IND&rule=nb_cusum", { waitUntil: "load" });
  check((await page.locator("#alerts td.state", { hasText: "dismissed" }).count()) === 1, "the list shows the state");
} finally {
  await browser.close();
}
