/* The theme's icons (Font Awesome web fonts, 275 kB) load after the page's first paint
 * (issue #15): the three @font-face rules live in icon-fonts.css next to this file, which
 * is added once the browser reports its first contentful paint, so the fonts never compete
 * with the text and stylesheets the reader is waiting for. Without JavaScript a <noscript>
 * link loads the same file. <html data-kbook-icons="loaded"> says the rules are in.
 */
(function () {
  "use strict";
  var me = document.currentScript;
  var href = new URL("icon-fonts.css", me.src).href;
  var added = false;

  function add() {
    if (added) return;
    added = true;
    var link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = href;
    link.onload = function () { document.documentElement.setAttribute("data-kbook-icons", "loaded"); };
    document.head.appendChild(link);
  }

  var types = (window.PerformanceObserver && PerformanceObserver.supportedEntryTypes) || [];
  if (types.indexOf("paint") < 0) { add(); return; }
  var po = new PerformanceObserver(function (list) {
    if (list.getEntriesByName("first-contentful-paint").length) { po.disconnect(); setTimeout(add, 0); }
  });
  po.observe({ type: "paint", buffered: true });
  setTimeout(add, 3000);   // safety net: icons even if no paint is reported
})();
