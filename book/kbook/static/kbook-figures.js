/* Draws the book's plotly figures without blocking reading (issue #15).
 *
 * Each figure is a <div class="plotly-graph-div" data-kbook-figure> followed by its JSON in
 * <script type="application/json" id="<div id>-json">. This file is loaded with `defer`;
 * plotly.js (the partial bundle next to this file) is fetched only when a figure comes
 * within 100 px of the viewport, is touched or focused, or the page is printed.
 * When Plotly.newPlot has resolved, the div gets data-kbook-drawn="true" (the browser
 * tests wait on that attribute, never on a timer).
 */
(function () {
  "use strict";
  var me = document.currentScript;
  var bundle = new URL(me.getAttribute("data-plotly"), me.src).href;
  var loading = null;

  function loadPlotly() {
    if (window.Plotly) return Promise.resolve(window.Plotly);
    if (!loading) {
      loading = new Promise(function (resolve, reject) {
        var s = document.createElement("script");
        s.src = bundle;
        s.async = true;
        s.onload = function () { resolve(window.Plotly); };
        s.onerror = function () { loading = null; reject(new Error("plotly.js did not load")); };
        document.head.appendChild(s);
      });
    }
    return loading;
  }

  function draw(div) {
    if (div.hasAttribute("data-kbook-state")) return;
    div.setAttribute("data-kbook-state", "loading");
    var spec = JSON.parse(document.getElementById(div.id + "-json").textContent);
    loadPlotly()
      .then(function (Plotly) { return Plotly.newPlot(div, spec.data, spec.layout, spec.config); })
      .then(function () {
        div.setAttribute("data-kbook-state", "drawn");
        div.setAttribute("data-kbook-drawn", "true");
      }, function (err) {
        div.removeAttribute("data-kbook-state");
        if (window.console) console.error(err);
      });
  }

  var figures = Array.prototype.slice.call(document.querySelectorAll("div.plotly-graph-div[data-kbook-figure]"));
  if (!figures.length) return;
  window.kbookDrawFigure = function (id) { draw(document.getElementById(id)); };
  window.addEventListener("beforeprint", function () { figures.forEach(draw); });
  figures.forEach(function (div) {
    ["pointerdown", "touchstart", "focusin", "mouseenter"].forEach(function (name) {
      div.addEventListener(name, function () { draw(div); }, { once: true, passive: true });
    });
  });
  if ("IntersectionObserver" in window) {
    var seen = new IntersectionObserver(function (entries) {
      entries.forEach(function (e) {
        if (e.isIntersecting) { seen.unobserve(e.target); draw(e.target); }
      });
    }, { rootMargin: "100px 0px" });
    figures.forEach(function (div) { seen.observe(div); });
  } else {
    figures.forEach(draw);
  }
})();
