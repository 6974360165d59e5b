// Attaché: optional enhancements. Every page works without them (links, <title> tooltips,
// forms with a submit button); with them:
// - hovering or focusing a map region writes its name and value under the map;
// - a range slider with data-output shows its value as it moves (data-as-pledged: the value
//   meaning "as pledged"), and a changed explorer control reruns the scenario (the form is a
//   GET, so the new URL is the scenario's permalink);
// - the scenario checkboxes of /climate/warming fill its comma-separated list.
document.addEventListener("DOMContentLoaded", function () {
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
