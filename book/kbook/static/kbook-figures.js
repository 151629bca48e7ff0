/* Draws the book's plotly figures without blocking reading (issue #15).
 *
 * Each figure is a <div class="plotly-graph-div" data-kbook-figure> followed by its JSON in
 * <script type="application/json" id="<div id>-json">. This file is loaded with `defer`;
 * plotly.js (the partial bundle next to this file) is fetched only when a figure comes
 * within 100 px of the viewport (watched once the page has loaded and painted its first
 * text), is touched or focused, or the page is printed.
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
  // Watching starts once the page has loaded and painted its first text: a chart on the first
  // screen then fetches plotly.js after the text, styles and fonts, instead of competing with
  // them for the network and the CPU before the first paint (its box is already sized, so
  // nothing moves). <html data-kbook-watching> says watching has started (the browser tests
  // wait for it before scrolling figures into view).
  function watch() {
    document.documentElement.setAttribute("data-kbook-watching", "true");
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
  }
  function afterFirstPaint(then) {
    var started = false;
    function go() { if (!started) { started = true; setTimeout(then, 0); } }
    var types = (window.PerformanceObserver && PerformanceObserver.supportedEntryTypes) || [];
    if (types.indexOf("paint") < 0) { go(); return; }
    var po = new PerformanceObserver(function (list) {
      if (list.getEntriesByName("first-contentful-paint").length) { po.disconnect(); go(); }
    });
    po.observe({ type: "paint", buffered: true });
    setTimeout(go, 5000);   // safety net: never leave a chart undrawn if no paint is reported
  }
  function start() { afterFirstPaint(watch); }
  if (document.readyState === "complete") start();
  else window.addEventListener("load", start, { once: true });
})();
