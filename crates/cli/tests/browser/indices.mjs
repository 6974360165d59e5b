// Headless Chromium at 390 px: what a reader sees on the SDG country page and the INFORM risk
// country page, and that each page's CSV download says the same as the page. The SDG page shows
// 17 goal tiles, each with a visible colour and a trend arrow whose spoken label matches the CSV;
// the risk page lists its drivers, and its components table equals its download row by row.
// Run by crates/cli/tests/dashboard.rs as `node indices.mjs BASE_URL`.
import { chromium } from "playwright-core";
import { execFileSync } from "node:child_process";

const base = process.argv[2];
const exe = process.env.CHROMIUM || execFileSync("sh", ["-c", "command -v chromium || command -v chromium-browser"]).toString().trim();

function check(cond, what) {
  if (!cond) throw new Error("FAILED: " + what);
  console.log("ok: " + what);
}

// A small CSV reader for the pages' downloads (quoted fields allowed, no embedded newlines).
function csv(text) {
  const lines = text.trim().split("\n");
  const split = (line) => {
    const out = [];
    let cur = "", quoted = false;
    for (let i = 0; i < line.length; i++) {
      const c = line[i];
      if (quoted) {
        if (c === '"' && line[i + 1] === '"') { cur += '"'; i++; }
        else if (c === '"') quoted = false;
        else cur += c;
      } else if (c === '"') quoted = true;
      else if (c === ",") { out.push(cur); cur = ""; }
      else cur += c;
    }
    out.push(cur);
    return out;
  };
  const head = split(lines[0]);
  return lines.slice(1).map((l) => Object.fromEntries(split(l).map((v, i) => [head[i], v])));
}

// The download behind the page's own CSV link, fetched as a reader's click would.
async function download(page) {
  const href = await page.locator("a.download[data-format=csv]").first().getAttribute("href");
  const r = await page.request.get(new URL(href, page.url()).toString());
  check(r.ok(), `the CSV link ${href} answers`);
  return csv(await r.text());
}

const browser = await chromium.launch({ executablePath: exe, args: ["--headless", "--no-sandbox", "--disable-gpu"] });
try {
  const ctx = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await ctx.newPage();
  page.setDefaultTimeout(20000);

  // SDG: 17 tiles, coloured, each with an arrow.
  await page.goto(base + "/sdg/country/FIN", { waitUntil: "load" });
  const tiles = page.locator("#goal-tiles li.tile");
  check((await tiles.count()) === 17, "17 goal tiles");
  const seen = await tiles.evaluateAll((els) =>
    els.map((el) => {
      const r = el.getBoundingClientRect();
      const arrow = el.querySelector(".arrow");
      return {
        goal: el.getAttribute("data-goal"),
        colour: el.getAttribute("data-colour"),
        background: getComputedStyle(el).backgroundColor,
        visible: r.width > 0 && r.height > 0 && r.right <= window.innerWidth + 1,
        score: el.querySelector("strong")?.textContent.trim(),
        arrow: arrow ? arrow.getAttribute("aria-label") : null,
        arrowShown: arrow ? arrow.getBoundingClientRect().width > 0 : false,
      };
    }),
  );
  check(seen.every((t) => t.visible), "every tile is on screen at 390 px, none cut off at the right");
  check(
    seen.every((t) => t.background && t.background !== "rgba(0, 0, 0, 0)" && t.background !== "transparent"),
    "every tile has a painted colour",
  );
  check(new Set(seen.map((t) => t.background)).size > 1, "the colours differ between goals");
  check(seen.every((t) => t.arrow && t.arrowShown), "every tile shows a trend arrow with a spoken label");
  const rows = await download(page);
  check(rows.length === 17, `the download has 17 goals (${rows.length})`);
  for (const t of seen) {
    const r = rows.find((x) => x.goal === t.goal);
    check(r !== undefined, `goal ${t.goal} is in the download`);
    check(r.colour === t.colour, `goal ${t.goal}: colour ${t.colour} on the page and ${r.colour} in the download`);
    check(r.trend === t.arrow, `goal ${t.goal}: trend ${t.arrow} on the page and ${r.trend} in the download`);
    if (r.score !== "") {
      check(Math.abs(Number(r.score) - Number(t.score)) <= 0.5, `goal ${t.goal}: score ${t.score} on the page, ${r.score} in the download`);
    }
  }

  // INFORM: the drivers and the components table against the download.
  await page.goto(base + "/risk/country/AFG", { waitUntil: "load" });
  const drivers = await page.locator("#risk-drivers li").allTextContents();
  check(drivers.length >= 3, `the risk page lists ${drivers.length} drivers`);
  check(drivers.every((d) => /one point better would lower the risk by \d/.test(d)), "each driver says how much it moves the risk");
  const shown = await page.locator("#risk-components tbody tr").evaluateAll((trs) =>
    trs.map((tr) => [tr.querySelector("th").textContent.trim(), tr.querySelectorAll("td")[1].textContent.trim()]),
  );
  const comps = await download(page);
  check(comps.length === shown.length, `the download has the table's ${shown.length} components (${comps.length})`);
  for (const [name, score] of shown) {
    const r = comps.find((x) => x.component === name);
    check(r !== undefined && Number(r.score).toFixed(1) === score, `${name}: ${score} on the page, ${r?.score} in the download`);
  }
  const top = drivers[0].match(/^(.*?) \(/)[1];
  const ranked = [...comps].filter((c) => c.risk_drop_one_point !== "").sort((a, b) => Number(b.risk_drop_one_point) - Number(a.risk_drop_one_point));
  check(ranked[0].component === top, `the first driver (${top}) is the component whose improvement lowers the risk most in the download`);
} finally {
  await browser.close();
}
