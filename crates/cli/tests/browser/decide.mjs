// Headless Chromium: the decision room, as people use it. An analyst signs in, writes a brief
// (the classification must be chosen), attaches the conflict forecast for a country to an option
// from the page, and sends it to review; a diplomat signs in, sees every option's predicted
// outcome (uncertainty, model, data vintage, assumptions, novelty) and the evidence *above* the
// decision form, chooses with a written rationale, and the page records who decided.
// Run by crates/cli/tests/dashboard.rs as `node decide.mjs BASE_URL` with PASSWORD set.
import { chromium } from "playwright-core";
import { execFileSync } from "node:child_process";

const base = process.argv[2];
const password = process.env.PASSWORD;
const exe = process.env.CHROMIUM || execFileSync("sh", ["-c", "command -v chromium || command -v chromium-browser"]).toString().trim();

function check(cond, what) {
  if (!cond) throw new Error("FAILED: " + what);
  console.log("ok: " + what);
}

async function signIn(browser, name) {
  const ctx = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await ctx.newPage();
  page.setDefaultTimeout(20000);
  await page.goto(base + "/login", { waitUntil: "load" });
  await page.locator("input[name=name]").fill(name);
  await page.locator("input[name=password]").fill(password);
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith("/login")), page.getByRole("button", { name: "Sign in" }).click()]);
  return { ctx, page };
}

const browser = await chromium.launch({ executablePath: exe, args: ["--headless", "--no-sandbox", "--disable-gpu"] });
try {
  // The analyst writes the brief on a phone-sized screen.
  const { ctx: anaCtx, page } = await signIn(browser, "ana");
  await page.goto(base + "/briefs/new", { waitUntil: "load" });
  check((await page.locator("select[name=classification]").inputValue()) === "", "no classification chosen by default");
  await page.locator("input[name=title]").fill("Monitors for the border");
  await page.locator("textarea[name=question]").fill("Should we fund the ceasefire monitors?");
  await page.locator("input[name=option1_title]").fill("Fund them");
  await page.locator("textarea[name=option1_summary]").fill("Pay for 40 monitors for a year.");
  await page.locator("input[name=option2_title]").fill("Wait");
  await page.locator("textarea[name=option2_summary]").fill("Revisit in three months.");
  // Submitting without a classification is stopped by the form itself.
  await page.locator("#brief-form button[type=submit]").click();
  check(page.url().endsWith("/briefs/new"), "the form will not go without a classification");
  await page.locator("select[name=classification]").selectOption("confidential");
  await Promise.all([page.waitForNavigation(), page.locator("#brief-form button[type=submit]").click()]);
  await page.waitForLoadState("load");
  check(/\/briefs\/\d+$/.test(page.url()), `the brief is created (${page.url()}: ${(await page.locator("main").textContent()).slice(0, 300)})`);
  const briefUrl = page.url();
  check((await page.locator("#classification").textContent()).trim() === "CONFIDENTIAL", "classification shown as chosen");

  // Any model from the page: the conflict forecast for Ethiopia, on option 1.
  await page.locator("#predict-form select[name=option]").selectOption("1");
  await page.locator("#predict-form select[name=target]").selectOption("conflict/p_any_ge25_next12");
  await page.locator("#predict-form input[name=subject]").fill("Ethiopia");
  await Promise.all([page.waitForURL(/\/briefs\/\d+/), page.locator("#predict-form button[type=submit]").click()]);
  await page.waitForLoadState("load");
  check(await page.locator("#options li.option").first().locator("table.pred").count() === 1, "option 1 carries the predicted outcome");
  check(await page.locator("#evidence .who").count() >= 1, "the forecast is on the evidence list");
  await Promise.all([page.waitForURL(briefUrl), page.getByRole("button", { name: "Send to review" }).click()]);
  check((await page.locator("#brief-state").textContent()).trim() === "review", "sent to review");
  await anaCtx.close();

  // The diplomat decides, with the evidence in view first.
  const { ctx: dipCtx, page: dip } = await signIn(browser, "dip");
  await dip.goto(briefUrl, { waitUntil: "load" });
  const table = dip.locator("#options table.pred").first();
  const text = (await table.textContent()) || "";
  for (const want of ["Ethiopia", "Assumptions", "Model", "data", "Novelty", "reference"]) {
    check(text.includes(want), `the outcome table shows ${want}`);
  }
  const order = await dip.evaluate(() => {
    const pos = (sel) => {
      const el = document.querySelector(sel);
      return el ? el.getBoundingClientRect().top + window.scrollY : -1;
    };
    return { options: pos("#options"), evidence: pos("#evidence"), decide: pos("#decide") };
  });
  check(order.options >= 0 && order.evidence > order.options && order.decide > order.evidence, "options and evidence come before the decision form");
  const overflow = await dip.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  check(overflow <= 0, `the decision room fits 390 px (overflow ${overflow})`);
  await dip.locator("#decide input[name=choice][value='0']").check();
  await dip.locator("#decide textarea[name=rationale]").fill("The forecast risk justifies the monitors.");
  await Promise.all([dip.waitForURL(briefUrl), dip.locator("#decide button[type=submit]").click()]);
  check(((await dip.locator("#decision").textContent()) || "").includes("Option 1 chosen"), "the decision is recorded");
  check(((await dip.locator("#rationale").textContent()) || "").includes("justifies the monitors"), "with its rationale");
  await dipCtx.close();
} finally {
  await browser.close();
}
