// Attaché: optional enhancements. Every page works without them (links, <title> tooltips,
// forms with a submit button); with them:
// - hovering or focusing a map region writes its name and value under the map;
// - a range slider with data-output shows its value as it moves (data-as-pledged: the value
//   meaning "as pledged"), and a changed explorer control reruns the scenario (the form is a
//   GET, so the new URL is the scenario's permalink);
// - the scenario checkboxes of /climate/warming fill its comma-separated list;
// - every table in a scrolling region sorts by a column when its header button is pressed
//   (numbers by the cell's data-value when it has one, else by the number in its text; a
//   second press reverses; aria-sort says the order);
// - every chart and map gets "Download SVG" and "Download PNG" buttons (the drawing as shown,
//   named after the page and the chart);
// - pointing at (or touching) a chart writes the values under the pointer below it: for line
//   charts the nearest point of every series (from the series' data-hover list), for fan charts
//   the nearest month's points, for bars and map regions the one pointed at; a thin guide
//   marks the x position.
function cellKey(td) {
  if (!td) return { n: NaN, t: "" };
  var v = td.getAttribute("data-value");
  var t = (td.textContent || "").trim();
  var src = v !== null && v !== "" ? v : t.replace(/[,\u2009 ]/g, "").replace(/^[<>\u2264\u2265~]/, "");
  var m = /^[-\u2212]?\d+(\.\d+)?(e[-+]?\d+)?/i.exec(src);
  return { n: m ? Number(m[0].replace("\u2212", "-")) : NaN, t: t.toLowerCase() };
}
function makeSortable(table) {
  if (!table.tHead || table.tBodies.length !== 1 || table.hasAttribute("data-nosort")) return;
  var body = table.tBodies[0];
  if (body.rows.length < 2 || body.querySelector("[rowspan],[colspan],input,select,textarea")) return;
  var head = table.tHead.rows[table.tHead.rows.length - 1];
  Array.prototype.forEach.call(head.cells, function (th, col) {
    if (th.querySelector("button, a, input, select")) return;
    var b = document.createElement("button");
    b.type = "button";
    b.className = "sort";
    b.textContent = th.textContent;
    b.setAttribute("aria-label", "Sort by " + th.textContent.trim());
    th.textContent = "";
    th.appendChild(b);
    b.addEventListener("click", function () {
      var asc = th.getAttribute("aria-sort") !== "ascending";
      Array.prototype.forEach.call(head.cells, function (x) { x.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", asc ? "ascending" : "descending");
      var rows = Array.prototype.slice.call(body.rows);
      var keyed = rows.map(function (r, i) { return { r: r, k: cellKey(r.cells[col]), i: i }; });
      var numeric = keyed.every(function (x) { return !isNaN(x.k.n) || x.k.t === "" || x.k.t === "n/a"; }) &&
        keyed.some(function (x) { return !isNaN(x.k.n); });
      keyed.sort(function (a, b) {
        var c;
        if (numeric) {
          var an = isNaN(a.k.n) ? -Infinity : a.k.n, bn = isNaN(b.k.n) ? -Infinity : b.k.n;
          c = an - bn;
        } else {
          c = a.k.t < b.k.t ? -1 : a.k.t > b.k.t ? 1 : 0;
        }
        return (asc ? c : -c) || a.i - b.i;
      });
      keyed.forEach(function (x) { body.appendChild(x.r); });
    });
  });
}
function download(name, blob) {
  var a = document.createElement("a");
  a.href = URL.createObjectURL(blob);
  a.download = name;
  document.body.appendChild(a);
  a.click();
  setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
}
function chartName(svg, i) {
  var base = (location.pathname.replace(/^\/+|\/+$/g, "").replace(/[^A-Za-z0-9]+/g, "-") || "home");
  return "attache-" + base + "-" + (svg.id || "chart-" + (i + 1));
}
function addDownloads(svg, i) {
  var fig = svg.closest("figure") || svg.parentNode;
  var p = document.createElement("p");
  p.className = "chart-downloads";
  var name = chartName(svg, i);
  var source = function () {
    var copy = svg.cloneNode(true);
    copy.querySelectorAll(".hover-guide").forEach(function (g) { g.remove(); });
    copy.setAttribute("xmlns", "http://www.w3.org/2000/svg");
    var box = svg.getBoundingClientRect();
    if (!copy.getAttribute("width")) copy.setAttribute("width", Math.round(box.width));
    if (!copy.getAttribute("height")) copy.setAttribute("height", Math.round(box.height));
    return new XMLSerializer().serializeToString(copy);
  };
  var svgButton = document.createElement("button");
  svgButton.type = "button";
  svgButton.textContent = "Download SVG";
  svgButton.addEventListener("click", function () {
    download(name + ".svg", new Blob([source()], { type: "image/svg+xml" }));
  });
  var pngButton = document.createElement("button");
  pngButton.type = "button";
  pngButton.textContent = "Download PNG";
  pngButton.addEventListener("click", function () {
    var box = svg.getBoundingClientRect();
    var scale = 2;
    var img = new Image();
    img.onload = function () {
      var c = document.createElement("canvas");
      c.width = Math.max(1, Math.round(box.width * scale));
      c.height = Math.max(1, Math.round(box.height * scale));
      var g = c.getContext("2d");
      g.fillStyle = "#fff";
      g.fillRect(0, 0, c.width, c.height);
      g.drawImage(img, 0, 0, c.width, c.height);
      c.toBlob(function (b) { if (b) download(name + ".png", b); }, "image/png");
    };
    img.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(source());
  });
  p.appendChild(svgButton);
  p.appendChild(document.createTextNode(" "));
  p.appendChild(pngButton);
  fig.appendChild(p);
}
function chartHover(svg) {
  var series = [];
  svg.querySelectorAll("g.series[data-hover]").forEach(function (g) {
    var pts = [];
    g.getAttribute("data-hover").split(";").forEach(function (s) {
      var i = s.indexOf(",");
      var x = Number(s.slice(0, i));
      if (i > 0 && !isNaN(x)) pts.push({ x: x, t: s.slice(i + 1) });
    });
    if (pts.length) series.push({ name: g.getAttribute("data-series"), pts: pts });
  });
  var dots = Array.prototype.slice.call(svg.querySelectorAll("circle[data-value]")).filter(function (c) {
    return c.querySelector("title") && !c.closest("g.series[data-hover]");
  });
  var items = svg.querySelector("g.bar, [data-key]");
  if (!series.length && !dots.length && !items) return;
  var out = document.createElement("p");
  out.className = "chart-hover small";
  out.setAttribute("aria-live", "polite");
  svg.parentNode.insertBefore(out, svg.nextSibling);
  var guide = null;
  var vb = svg.viewBox && svg.viewBox.baseVal;
  if ((series.length || dots.length) && vb) {
    guide = document.createElementNS("http://www.w3.org/2000/svg", "line");
    guide.setAttribute("class", "hover-guide");
    guide.setAttribute("y1", "0");
    guide.setAttribute("y2", String(vb.height));
    guide.setAttribute("stroke", "#767676");
    guide.setAttribute("stroke-dasharray", "2 3");
    guide.setAttribute("pointer-events", "none");
    guide.style.display = "none";
    svg.appendChild(guide);
  }
  var at = function (e) {
    var hit = e.target.closest && e.target.closest("g.bar, [data-key]");
    if (hit) {
      var t = hit.querySelector("title");
      out.textContent = t ? t.textContent : hit.getAttribute("data-key") || "";
      return;
    }
    var ctm = svg.getScreenCTM();
    if (!ctm || !(series.length || dots.length)) return;
    var p = svg.createSVGPoint();
    p.x = e.clientX;
    p.y = e.clientY;
    var x = p.matrixTransform(ctm.inverse()).x;
    var parts = [];
    var gx = null;
    series.forEach(function (s) {
      var best = s.pts[0];
      s.pts.forEach(function (q) { if (Math.abs(q.x - x) < Math.abs(best.x - x)) best = q; });
      parts.push(s.name + ", " + best.t);
      gx = best.x;
    });
    if (dots.length) {
      var bx = null;
      dots.forEach(function (c) {
        var cx = Number(c.getAttribute("cx"));
        if (bx === null || Math.abs(cx - x) < Math.abs(bx - x)) bx = cx;
      });
      dots.forEach(function (c) {
        if (Number(c.getAttribute("cx")) === bx) parts.push(c.querySelector("title").textContent);
      });
      gx = bx;
    }
    out.textContent = parts.join(" · ");
    if (guide && gx !== null) {
      guide.setAttribute("x1", String(gx));
      guide.setAttribute("x2", String(gx));
      guide.style.display = "";
    }
  };
  svg.addEventListener("pointermove", at);
  svg.addEventListener("pointerdown", at);
}
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll(".table-scroll table").forEach(makeSortable);
  document.querySelectorAll("figure:not(.map) svg.viz").forEach(chartHover);
  document.querySelectorAll("figure svg.viz").forEach(function (svg, i) {
    if (!svg.closest("figure").querySelector(".chart-downloads")) addDownloads(svg, i);
  });
  var out = document.getElementById("map-hover");
  if (out) {
    var show = function (e) {
      var el = e.target.closest("[data-key]");
      if (!el) return;
      var t = el.querySelector("title");
      out.textContent = t ? t.textContent : el.getAttribute("data-key");
    };
    document.querySelectorAll("figure.map svg").forEach(function (svg) {
      svg.addEventListener("mouseover", show);
      svg.addEventListener("focusin", show);
    });
  }
  document.querySelectorAll("input[type=range][data-output]").forEach(function (r) {
    var o = document.getElementById(r.getAttribute("data-output"));
    if (!o) return;
    var pct = r.name.slice(-5) === "_2030";
    var update = function () {
      var v = r.value;
      if (r.getAttribute("data-as-pledged") === v) o.textContent = "as pledged";
      else o.textContent = pct ? v + "%" : v;
    };
    r.addEventListener("input", update);
  });
  var explorer = document.getElementById("explorer");
  if (explorer) {
    explorer.addEventListener("change", function (e) {
      if (e.target.name === "edit") return;
      explorer.requestSubmit ? explorer.requestSubmit() : explorer.submit();
    });
  }
  var list = document.getElementById("scenarios");
  if (list) {
    document.querySelectorAll("input[data-scenario]").forEach(function (c) {
      c.addEventListener("change", function () {
        var ids = [];
        document.querySelectorAll("input[data-scenario]").forEach(function (x) {
          if (x.checked) ids.push(x.getAttribute("data-scenario"));
        });
        list.value = ids.join(",");
      });
    });
  }
});
