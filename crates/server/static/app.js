// Attaché: optional enhancement. The map works without it (links and <title> tooltips);
// with it, hovering or focusing a country also writes its name and value under the map.
document.addEventListener("DOMContentLoaded", function () {
  var out = document.getElementById("map-hover");
  if (!out) return;
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
});
