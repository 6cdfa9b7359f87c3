/* The timeline's search (6 of 6, loaded last): its start, the controls, and the one state shown.
 *
 * Progressive enhancement: the page lists every event without the search's scripts. With them, the
 * tools (a search box, a Filters button, the active filters as chips) work. The search is in parts,
 * loaded in this order (data-scripts in _search.html; overview.js loads them when the reader first
 * reaches for the search), each a plain script defining one function on window.ChronicleSearch and
 * doing nothing more, and run here, in order, once every part has come:
 *   - query.js: the query string of a view, shared with the widget and the embed dialog;
 *   - search-state.js: the state, read from the URL (and corrected), from the controls, written to
 *     the URL; the active filters as chips;
 *   - search-filters.js: the filters, over data/manifest.json, and the counts beside them;
 *   - search-text.js: text search through Pagefind and the map of its results to events;
 *   - search-excerpts.js: the words highlighted in the cards, and why each event matched;
 *   - search-results.js: what the list shows (the matches in the timeline, the summary, the order,
 *     the list of matches from other years), and the overview told the matches;
 *   - search.js (this file): the page's elements and the state the parts share (S), the controls,
 *     and the start: what the address asks for is shown, then "chronicle:search-ready".
 * The overview (static/overview.js) draws the matches and picks years: it is told the matches
 * ("chronicle:matches") and asks for years ("chronicle:range"). The URL holds the whole state, so a
 * link restores the view and Back/Forward step through changes.
 * One state is ever shown: the one asked for last (wanted), which the URL and the controls hold;
 * apply() shows a state in the controls and works out its matches, refresh() works them out again
 * with whatever has loaded since.
 * A text query alone does not fetch the manifest: the filter counts are only brought up to date
 * when the filters are shown. No framework, no build step.
 */
(function () {
  "use strict";

  var tools = document.getElementById("timeline-tools");
  var Q = window.ChronicleQuery;  // query.js: the query string of a view, shared with the widget
  var parts = window.ChronicleSearch || {};
  if (!tools) return;
  if (!["state", "filters", "text", "excerpts", "results"].every(function (name) { return parts[name]; })) return;  // a part did not come: the next reach loads them again
  if (!Q || !window.fetch || !window.URLSearchParams || !history.pushState || !window.IntersectionObserver) {
    tools.hidden = true;  // a browser too old for it: no dead controls (the page lists every event)
    document.documentElement.classList.remove("search-pending");
    return;
  }

  var data = tools.dataset;
  var form = tools.querySelector("form");
  var input = form.elements.q;
  var panel = document.getElementById("filter-panel");
  var results = document.getElementById("results");
  var orders = Array.prototype.slice.call(results.querySelectorAll("input[name=order]"));
  var statusLine = document.getElementById("search-status");
  var resultsWhat = document.getElementById("results-what");
  var fold = Q.fold;
  var wanted = null;  // the state asked for last, which the URL and the controls hold: the only state ever shown
  var wantedFacets = false;  // whether the work on it uses the manifest (and so the filters and their counts)
  var timer = 0;

  // What the parts share: the page's elements, the cards, and the state of the work.
  var cards = Array.prototype.slice.call(document.querySelectorAll(".timeline .event"));
  var first = parseInt(data.first, 10);  // the cards are the latest events, in timeline order
  var S = {
    Q: Q,
    fold: fold,
    tools: tools,
    data: data,
    form: form,
    input: input,
    panel: panel,
    toggle: tools.querySelector(".filters-toggle"),
    chips: document.getElementById("active-filters"),
    jump: document.getElementById("jump-results"),
    results: results,
    resultsWhat: resultsWhat,
    orders: orders,
    statusLine: statusLine,
    FILTERS: ["tag", "actor", "place", "status"],
    total: parseInt(data.count, 10) || 0,
    firstYear: parseInt(form.elements.from.min, 10),
    lastYear: parseInt(form.elements.from.max, 10),
    cards: cards,
    first: first,
    positions: cards.map(function (card, k) { return first + k; }),  // each card's position in the timeline
    facets: null,  // the decoded manifest, once loaded (search-filters.js)
    generation: 0,  // one more for every state worked out: what comes back for an older one is dropped
    reveal: false,  // move the view to the summary once the state asked for last is shown
    fetchJSON: fetchJSON,
    commit: commit,
    panelOpened: panelOpened,
  };

  function fetchJSON(url) {
    return fetch(url).then(function (response) {
      if (!response.ok) throw new Error(url.split("/").slice(-2).join("/") + " " + response.status);
      return response.json();
    });
  }

  document.documentElement.classList.add("has-search");
  ["state", "filters", "text", "excerpts", "results"].forEach(function (name) { parts[name](S); });

  /* Show a state from the URL (or from the form, just pushed to the URL) in the controls and work out its matches. */
  function apply(state) {
    S.showState(state);
    wanted = state;
    return refresh();
  }

  /* Work out the matches of the wanted state again, with what is loaded now; the controls are left alone.
     Whatever arrives later (the manifest, Pagefind, list files) is used by calling this, never by showing
     a state kept from before: a result for an older request is dropped (generation). */
  function refresh() {
    var state = wanted;
    var mine = ++S.generation;
    if (S.isEmpty(state)) { wantedFacets = false; S.showAll(state); return Promise.resolve(); }
    var withFacets = S.isFiltering(state) || S.facets !== null || !panel.hidden;
    wantedFacets = withFacets;
    if ((withFacets && !S.facets) || (state.q && !S.textDone.has(fold(state.q)))) {
      statusLine.textContent = "Searching…";
      results.classList.add("is-busy");
    }
    return Promise.all([withFacets ? S.loadFacets() : null, state.q ? S.textMatches(state.q) : null]).then(function (loaded) {
      if (mine === S.generation) return S.render(state, loaded[1], loaded[0], mine);
    }).catch(function (error) {
      if (mine !== S.generation) return;
      statusLine.textContent = "Search is unavailable (" + error.message + "). Browse by tag, actor, place or year instead.";
      resultsWhat.textContent = statusLine.textContent;
      document.documentElement.classList.remove("search-pending");
    }).then(function () {
      if (mine === S.generation) results.classList.remove("is-busy");
    });
  }

  /* The controls' state, into the URL and onto the page. show: move the view to the summary afterwards. */
  function commit(show) {
    clearTimeout(timer);  // this takes the whole form, typed text included
    var state = S.formState();
    var next = S.query(state);
    if (next !== location.search) history.pushState(null, "", location.pathname + next + location.hash);
    S.showNotes([]);
    S.reveal = !!show;
    return apply(state);
  }

  // ---- the controls ---------------------------------------------------------------------------------

  var coarse = window.matchMedia("(pointer: coarse)");
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    commit(true);
    if (coarse.matches && document.activeElement === input) results.focus({ preventScroll: true });  // closes a phone's keyboard
  });
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { commit(document.activeElement !== input); }, 250);
  });
  // The year boxes: a year once it has four digits (or is emptied), whatever else on Enter or leaving the box.
  ["from", "to"].forEach(function (name) {
    form.elements[name].addEventListener("input", function () {
      var value = form.elements[name].value;
      clearTimeout(timer);
      if (value === "" || /^\d{4}$/.test(value)) timer = setTimeout(function () { commit(true); }, 400);
    });
  });
  form.addEventListener("change", function (event) {
    if (event.target !== input) commit(true);
  });
  results.addEventListener("change", function (event) {
    if (event.target.name === "order") commit(true);
  });
  form.addEventListener("reset", function () {
    setTimeout(function () {  // after the form has cleared its fields
      orders.forEach(function (radio) { radio.checked = radio.value === (wanted ? wanted.order : ""); });
      commit(true);
    }, 0);
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && input.value) {
      event.preventDefault();
      input.value = "";
      commit(false);
    }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
    var target = event.target;
    if (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)) return;
    event.preventDefault();
    input.focus();
    input.select();
  });
  window.addEventListener("popstate", function () {
    clearTimeout(timer);  // text typed but not yet searched gives way to the page stepped to
    var read = S.checked(S.readState(location.search));
    S.showNotes(read.notes);
    apply(read.state);
  });
  // Years picked on the overview; while its keys are held, once they pause.
  document.addEventListener("chronicle:range", function (event) {
    form.elements.from.value = event.detail.from;
    form.elements.to.value = event.detail.to;
    clearTimeout(timer);
    if (event.detail.later) timer = setTimeout(function () { commit(false); }, 400);
    else commit(!event.detail.byKey);  // keys leave the view with the overview, where the focus is
  });

  // Warm up while the reader decides: Pagefind when the search box has focus, the manifest when the
  // filters are shown; then the counts beside them catch up with a text query on screen, unless the
  // work on the state wanted by then (a filter picked meanwhile, Back) already uses the manifest.
  input.addEventListener("focus", function () { S.loadPagefind().catch(function () {}); }, { once: true });
  function panelOpened() {
    if (S.facets) return;
    S.loadFacets().then(function () {
      if (wanted && !S.isEmpty(wanted) && !wantedFacets) refresh();
    }).catch(function () {});
  }

  var initial = S.checked(S.readState(location.search));
  var typed = input.value.trim();  // words typed before this script ran (it is loaded on demand: overview.js)
  if (initial.notes.length) {
    S.showNotes(initial.notes);
    history.replaceState(null, "", location.pathname + S.query(initial.state) + location.hash);
  }
  if (typed && typed !== initial.state.q) {
    S.showState(initial.state);
    input.value = typed;
    commit(false);
  } else {
    // A shared link: the view moves to what it shows, unless the reader has moved already (or it names a place).
    S.reveal = !S.isEmpty(initial.state) && !location.hash && window.pageYOffset === 0;
    if (!S.isEmpty(initial.state) || initial.state.order) apply(initial.state);
    else { S.showState(initial.state); wanted = initial.state; S.told(null, null, initial.state); }
  }
  if (document.activeElement === input) S.loadPagefind().catch(function () {});
  document.dispatchEvent(new CustomEvent("chronicle:search-ready"));
})();
