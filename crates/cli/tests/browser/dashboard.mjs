// Headless Chromium checks of the dashboard: what a person sees on the risk map and on a
// country page. Run by crates/cli/tests/dashboard.rs as `node dashboard.mjs BASE_URL` with
// EXPECT_SDN_P set to the API's P(>= 25 in the next 12 months) for Sudan.
import { chromium } from "playwright-core";
import { execFileSync } from "node:child_process";

const base = process.argv[2];
const expectP = Number(process.env.EXPECT_SDN_P);
const exe = process.env.CHROMIUM || execFileSync("sh", ["-c", "command -v chromium || command -v chromium-browser"]).toString().trim();

function check(cond, what) {
  if (!cond) throw new Error("FAILED: " + what);
  console.log("ok: " + what);
}

const browser = await chromium.launch({ executablePath: exe, args: ["--headless", "--no-sandbox", "--disable-gpu"] });
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });

  // The risk map.
  await page.goto(base + "/", { waitUntil: "load" });
  check((await page.title()).includes("Risk map"), "home page title");
  const countries = await page.locator("figure.map svg.viz-map [data-key]").count();
  check(countries >= 150, `map draws ${countries} countries`);
  const box = await page.locator("figure.map svg.viz-map").boundingBox();
  check(box && box.width > 600 && box.height > 250, `map is visible (${box && Math.round(box.width)}x${box && Math.round(box.height)})`);
  const sdn = page.locator('figure.map svg.viz-map [data-key="SDN"]').first();
  check(Math.abs(Number(await sdn.getAttribute("data-value")) - expectP) < 1e-9, "Sudan's map value equals the API's");
  check(((await sdn.locator("title").textContent()) || "").includes("Sudan"), "Sudan is titled on hover");
  await sdn.hover();
  check(((await page.locator("#map-hover").textContent()) || "").includes("Sudan"), "hovering Sudan names it under the map");
  check(await page.locator("figure.map .legend, figure.map svg.viz-map [class*=legend]").count() > 0, "the map has a legend");
  const rows = await page.locator("#top-risk tbody tr").count();
  check(rows === 20, `top-risk table shows ${rows} rows`);
  check((await page.locator(".reference").first().textContent()).includes("a person decides"), "labelled as reference");

  // Sortable tables: the probability header sorts the rows both ways, by the cells' values.
  const probs = async () => (await page.locator("#top-risk tbody td.prob").evaluateAll((tds) => tds.map((td) => Number(td.getAttribute("data-value")))));
  const sortBy = page.locator("#top-risk thead button.sort", { hasText: "P(" });
  await sortBy.click();
  let v = await probs();
  check(v.every((x, i) => i === 0 || v[i - 1] <= x), "the probability column sorts ascending");
  check((await page.locator("#top-risk thead th[aria-sort=ascending]").count()) === 1, "aria-sort says ascending");
  await sortBy.click();
  v = await probs();
  check(v.every((x, i) => i === 0 || v[i - 1] >= x), "a second press sorts descending");
  await page.locator("#top-risk thead button.sort", { hasText: "Country" }).click();
  const names = await page.locator("#top-risk tbody tr td:nth-child(2)").allTextContents();
  check(names.every((x, i) => i === 0 || names[i - 1].toLowerCase() <= x.toLowerCase()), "the country column sorts by name");

  // Every chart downloads as SVG and PNG.
  const fs = await import("node:fs");
  const [svgDl] = await Promise.all([page.waitForEvent("download"), page.locator("figure.map .chart-downloads button", { hasText: "SVG" }).click()]);
  check(svgDl.suggestedFilename().endsWith(".svg"), `map downloads as ${svgDl.suggestedFilename()}`);
  const svgText = fs.readFileSync(await svgDl.path(), "utf8");
  check(svgText.startsWith("<svg") && svgText.includes('data-key="SDN"'), "the SVG download is the map as drawn");
  const [pngDl] = await Promise.all([page.waitForEvent("download"), page.locator("figure.map .chart-downloads button", { hasText: "PNG" }).click()]);
  const png = fs.readFileSync(await pngDl.path());
  check(pngDl.suggestedFilename().endsWith(".png") && png.subarray(1, 4).toString() === "PNG" && png.length > 2000, `the PNG download is an image (${png.length} bytes)`);

  // Follow Sudan's link from the map to its page.
  await Promise.all([page.waitForURL(/\/country\/SDN/), sdn.click()]);
  check((await page.locator("#country-name").textContent()).includes("Sudan"), "country page heading");
  const pAny = page.locator("#p-any");
  check(Math.abs(Number(await pAny.getAttribute("data-value")) - expectP) < 1e-9, "headline probability equals the API's");
  check(/%$/.test((await pAny.textContent()).trim()), "headline probability shown as a percentage");
  check(await page.locator("figure.fan svg .fan-median").count() > 0, "fan chart median drawn");
  check(await page.locator("figure.fan svg .band-90").count() > 0, "fan chart 90% band drawn");
  check(await page.locator("figure.fan svg .band-50").count() > 0, "fan chart 50% band drawn");
  check(await page.locator("#months tbody tr").count() === 14, "14 forecast months listed");
  check(await page.locator("#drivers li").count() > 0, "drivers in words");
  // Pointing at the fan chart reads the nearest month's numbers.
  await page.locator("figure.fan svg").scrollIntoViewIfNeeded();
  const fbox = await page.locator("figure.fan svg").boundingBox();
  await page.mouse.move(fbox.x + fbox.width * 0.8, fbox.y + fbox.height * 0.5);
  const fanRead = (await page.locator("figure.fan svg + p.chart-hover").textContent()) || "";
  check(/\d{4}-\d{2}/.test(fanRead), `pointing at the fan chart reads a month: ${fanRead}`);
  check(await page.locator("#vintage").count() === 1, "data vintage named");
  check(await page.locator("td.licence").count() > 0, "licences listed");
  const dl = await page.locator("a.download[data-format=csv]").getAttribute("href");
  check(dl.includes("format=csv") && dl.includes("as_of="), "CSV download link carries the as-of");

  // The climate scenario explorer: a slider shows its value as it moves, and letting go reruns
  // the scenario under a new permalink.
  await page.goto(base + "/climate", { waitUntil: "load" });
  check(await page.locator("#scenarios tbody tr").count() === 2, "explorer: current policies and NDCs");
  const ndcWarming = Number(await page.locator('#scenarios tr[data-policy="NDCs"] td.warming').getAttribute("data-value"));
  await page.evaluate(() => {
    const r = document.getElementById("chn_nz");
    r.value = "2050";
    r.dispatchEvent(new Event("input", { bubbles: true }));
  });
  check((await page.locator("#chn_nz_out").textContent()).trim() === "2050", "the net-zero slider shows 2050 as it moves");
  await Promise.all([
    page.waitForURL(/chn_nz=2050/),
    page.evaluate(() => document.getElementById("chn_nz").dispatchEvent(new Event("change", { bubbles: true }))),
  ]);
  await page.waitForLoadState("load");
  check(await page.locator("#scenarios tbody tr").count() === 3, "explorer: the user scenario appears");
  const userWarming = Number(await page.locator('#scenarios tr[data-policy="user scenario"] td.warming').getAttribute("data-value"));
  check(userWarming < ndcWarming, `China at net zero by 2050 lowers 2100 warming (${userWarming.toFixed(2)} < ${ndcWarming.toFixed(2)})`);
  check((await page.locator("a.permalink").getAttribute("href")).includes("chn_nz=2050"), "the permalink carries the slider");
  check(await page.locator("figure.chart svg#warming path.band").count() > 0, "warming chart shows the likely ranges");
  const wbox = await page.locator("figure.chart svg#warming").boundingBox();
  check(wbox && wbox.width > 500, "warming chart is visible");
  // Pointing at the right end of the warming chart reads the values there, every series named.
  await page.locator("figure.chart svg#warming").scrollIntoViewIfNeeded();
  const wb = await page.locator("figure.chart svg#warming").boundingBox();
  await page.mouse.move(wb.x + wb.width * 0.9, wb.y + wb.height * 0.5);
  const readout = (await page.locator("figure.chart svg#warming + p.chart-hover").textContent()) || "";
  check(/NDCs, 2\d\d\d: [\d.]+/.test(readout) && readout.includes(" · "), `pointing at the warming chart reads its values: ${readout}`);

  // The rating map and a country's progress page.
  await page.goto(base + "/climate/countries", { waitUntil: "load" });
  const rated = await page.locator("figure.map svg.viz-map [data-key][data-value]").count();
  check(rated >= 100, `band map colours ${rated} countries`);
  await Promise.all([page.waitForURL(/\/climate\/country\/CHN/), page.locator('figure.map svg.viz-map [data-key="CHN"]').first().click()]);
  check((await page.locator("#country-name").textContent()).includes("China"), "climate country page heading");
  check(((await page.locator("#band").textContent()) || "").includes("Rating of the NDC"), "rating band shown");
  check(await page.locator("figure.chart svg#progress g.series").count() >= 3, "progress chart draws history, pathways and target path");
  check(errors.length === 0, "no script errors: " + errors.join(" | "));
} finally {
  await browser.close();
}
