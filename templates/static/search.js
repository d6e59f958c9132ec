// The search page: start Pagefind's search box when it can run.
// Opened from disk (file://), the browser will not let Pagefind load its
// index, so the page says so and keeps its link to the topic index; without
// JavaScript the same notice simply stays. Kept in its own file, with no
// inline script or handler, so a Content-Security-Policy can forbid them.
(function () {
  "use strict";

  function explain(notice, text) {
    notice.querySelector(".reason").textContent = text;
    notice.hidden = false;
  }

  function start() {
    var box = document.getElementById("search");
    var notice = document.getElementById("search-unavailable");
    if (!box || !notice) {
      return;
    }
    if (window.location.protocol === "file:") {
      explain(notice, "Search cannot run on a page opened from disk (file://): the browser does not let it load its index. Serve the site from a web server to search it.");
      return;
    }
    var ui = new URL(box.getAttribute("data-ui"), window.location.href);
    var bundle = new URL(".", ui);
    var root = new URL(".", new URL(box.getAttribute("data-root"), window.location.href));
    var script = document.createElement("script");
    script.src = ui.href;
    script.addEventListener("load", function () {
      /* global PagefindUI */
      new PagefindUI({
        element: "#search",
        bundlePath: bundle.pathname,
        baseUrl: root.pathname,
        showImages: false,
        resetStyles: false
      });
      notice.hidden = true;
    });
    script.addEventListener("error", function () {
      explain(notice, "The search index could not be loaded.");
    });
    document.head.appendChild(script);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}());
