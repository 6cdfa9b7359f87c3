/* The search's scripts on demand, on the timeline page: loaded when the reader first reaches for the
 * search (a press, a focus or a key in the tools or the summary above the list, "/", years picked on
 * the overview) or at once when the address asks for a search (static/early.js), so that the first
 * view does not carry them. They are the files named in the tools' data-scripts (query.js, the
 * search's parts, search.js last), inserted in that order to run in that order. What the reader did
 * before the search ran (a button pressed, years picked) is held, and done once it has
 * ("chronicle:search-ready", from search.js).
 * Loaded with the page before overview.js, which runs it (window.ChronicleOverview.searchLoader) when
 * the overview can steer; it returns whenSearch(act): act now if the search runs, else once it does.
 */
window.ChronicleOverview = window.ChronicleOverview || {};
window.ChronicleOverview.searchLoader = function () {
  "use strict";

  var tools = document.getElementById("timeline-tools");
  var results = document.getElementById("results");
  var searchReady = !tools;
  var searchLoading = false;
  var queued = [];  // what the reader did before the search could act on it, in order

  function loadSearch() {
    if (searchLoading || searchReady) return;
    searchLoading = true;
    var scripts = tools.dataset.scripts.split(" ").filter(function (src) {  // query.js, the search's parts, then search.js
      return !(window.ChronicleQuery && /\/query\.js(\?|$)/.test(src));  // the embed dialog may have brought it
    }).map(function (src) {
      var script = document.createElement("script");
      script.src = src;
      script.async = false;  // run in this order
      script.onerror = function () {  // the next reach tries again
        scripts.forEach(function (s) { s.remove(); });
        searchLoading = false;
      };
      document.head.appendChild(script);
      return script;
    });
  }

  function whenSearch(act) {
    if (searchReady) act();
    else { queued.push(act); loadSearch(); }
  }

  if (tools) {
    document.addEventListener("chronicle:search-ready", function () {
      searchReady = true;
      queued.splice(0).forEach(function (act) { act(); });
    });
    if (document.documentElement.classList.contains("search-pending")) loadSearch();  // early.js: the address asks
    [tools, results].forEach(function (part) {
      ["pointerdown", "focusin", "keydown"].forEach(function (type) { part.addEventListener(type, loadSearch); });
    });
    // A press on a control before the search runs is held, and pressed again once it does.
    document.addEventListener("click", function (event) {
      var control = !searchReady && event.target.closest("#timeline-tools button, #results label, #results input");
      if (!control) return;
      event.preventDefault();
      event.stopImmediatePropagation();
      whenSearch(function () { control.click(); });
    }, true);
    document.addEventListener("keydown", function (event) {
      if (searchReady || event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
      if (event.target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(event.target.tagName)) return;
      event.preventDefault();
      tools.querySelector("input[type=search]").focus();  // search.js does this itself once it runs
    });
  }

  return whenSearch;
};
