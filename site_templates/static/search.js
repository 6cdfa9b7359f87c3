/* Search and filters for the timeline page.
 *
 * Progressive enhancement: the page lists every event without this script.
 * With it, the tools panel appears and
 *   - filters (tag, actor, place, status, years) use data/manifest.json only,
 *   - text search loads Pagefind's index on the first query, and
 *     data/search-ids.json maps its results to events without fetching them,
 *   - matching events stay in the timeline itself (others are hidden), with
 *     the query's words highlighted and the count announced,
 *   - the URL holds the whole state (?q=barrett&tag=cjng&from=2009&to=2015),
 *     so a link restores the view and Back/Forward step through changes.
 * No framework, no build step.
 */
(function () {
  "use strict";

  var tools = document.getElementById("timeline-tools");
  if (!tools || !window.fetch || !window.URLSearchParams || !history.pushState) return;

  var form = tools.querySelector("form");
  var input = form.elements.q;
  var statusLine = document.getElementById("search-status");
  var more = document.getElementById("search-more");
  var FACETS = { tag: "tags", actor: "actors", place: "places" };
  var FIELDS = ["q", "tag", "actor", "place", "status", "from", "to"];
  var manifest = null;
  var rows = null;
  var pagefind = null;
  var searchIds = null;
  var textCache = new Map();
  var generation = 0;
  var timer = 0;

  tools.hidden = false;
  document.documentElement.classList.add("has-search");

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function readState(search) {
    var params = new URLSearchParams(search);
    var state = {};
    FIELDS.forEach(function (name) { state[name] = (params.get(name) || "").trim(); });
    return state;
  }

  function formState() {
    var state = {};
    FIELDS.forEach(function (name) { state[name] = String(form.elements[name].value || "").trim(); });
    return state;
  }

  function query(state) {
    var params = new URLSearchParams();
    FIELDS.forEach(function (name) { if (state[name]) params.set(name, state[name]); });
    var text = params.toString();
    return text ? "?" + text : "";
  }

  function isEmpty(state) {
    return FIELDS.every(function (name) { return !state[name]; });
  }

  function showState(state) {
    var panel = form.querySelector("details");
    if (panel && ["tag", "actor", "place", "status", "from", "to"].some(function (name) { return state[name]; })) panel.open = true;
    FIELDS.forEach(function (name) {
      var control = form.elements[name];
      if (control.value !== state[name]) {
        if (control.tagName === "SELECT" && state[name] && !control.querySelector('option[value="' + CSS.escape(state[name]) + '"]')) {
          var option = document.createElement("option");  // a value from a shared link that this site no longer has
          option.value = state[name];
          option.textContent = state[name] + " (0)";
          control.appendChild(option);
        }
        control.value = state[name];
      }
    });
  }

  function loadManifest() {
    if (manifest) return Promise.resolve(manifest);
    return fetch(tools.dataset.manifest).then(function (response) {
      if (!response.ok) throw new Error("manifest " + response.status);
      return response.json();
    }).then(function (data) {
      var columns = data.columns;
      rows = data.events.map(function (row, position) {
        var event = { position: position };
        columns.forEach(function (column, i) { event[column] = row[i]; });
        return event;
      });
      manifest = data;
      return data;
    });
  }

  function loadPagefind() {
    if (pagefind) return Promise.resolve(pagefind);
    return Promise.all([
      import(tools.dataset.pagefind),
      fetch(tools.dataset.ids).then(function (response) { return response.json(); })
    ]).then(function (loaded) {
      pagefind = loaded[0];
      searchIds = loaded[1];
      return pagefind.options({ baseUrl: tools.dataset.base }).then(function () { return pagefind; });
    });
  }

  function textMatches(text) {
    var key = fold(text);
    if (textCache.has(key)) return Promise.resolve(textCache.get(key));
    return loadPagefind().then(function (engine) {
      return engine.search(text);
    }).then(function (search) {
      var found = new Set();
      search.results.forEach(function (result) {
        if (result.id in searchIds) found.add(searchIds[result.id]);
      });
      textCache.set(key, found);
      return found;
    });
  }

  function wanted(state, name) {
    if (!state[name]) return -1;
    if (name === "status") return manifest.statuses.indexOf(state[name]);
    return manifest[FACETS[name]].indexOf(state[name]);
  }

  /* Does an event pass every filter except `skip` (for counting that facet's values)? */
  function passes(event, state, want, text, skip) {
    if (text && !text.has(event.position)) return false;
    for (var name in FACETS) {
      if (name !== skip && state[name] && event[FACETS[name]].indexOf(want[name]) < 0) return false;
    }
    if (skip !== "status" && state.status && event.status !== want.status) return false;
    var from = parseInt(state.from, 10);
    var to = parseInt(state.to, 10);
    if (!isNaN(from) && event.to < from) return false;
    if (!isNaN(to) && event.from > to) return false;
    return true;
  }

  function updateCounts(state, want, text) {
    ["tag", "actor", "place", "status"].forEach(function (name) {
      var counts = new Map();
      rows.forEach(function (event) {
        if (!passes(event, state, want, text, name)) return;
        var values = name === "status" ? [event.status] : event[FACETS[name]];
        values.forEach(function (v) { counts.set(v, (counts.get(v) || 0) + 1); });
      });
      var names = name === "status" ? manifest.statuses : manifest[FACETS[name]];
      Array.prototype.forEach.call(form.elements[name].options, function (option) {
        if (!option.value) return;
        var count = counts.get(names.indexOf(option.value)) || 0;
        option.textContent = option.dataset.label + " (" + count + ")";
      });
    });
  }

  function unmark(root) {
    root.querySelectorAll("mark.hit").forEach(function (mark) {
      var parent = mark.parentNode;
      parent.replaceChild(document.createTextNode(mark.textContent), mark);
      parent.normalize();
    });
  }

  function mark(root, words) {
    if (!words.length) return;
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    var nodes = [];
    while (walker.nextNode()) nodes.push(walker.currentNode);
    nodes.forEach(function (node) {
      var original = node.data;
      var folded = "";
      var map = [];  // folded index -> original index
      for (var i = 0; i < original.length; i++) {
        var f = fold(original[i]);
        for (var j = 0; j < f.length; j++) map.push(i);
        folded += f;
      }
      var spans = [];
      words.forEach(function (word) {
        var at = folded.indexOf(word);
        while (at >= 0) {
          var before = at === 0 ? "" : folded[at - 1];
          if (!/[\p{L}\p{N}]/u.test(before)) spans.push([map[at], map[at + word.length - 1] + 1]);
          at = folded.indexOf(word, at + word.length);
        }
      });
      if (!spans.length) return;
      spans.sort(function (a, b) { return a[0] - b[0]; });
      var fragment = document.createDocumentFragment();
      var last = 0;
      spans.forEach(function (span) {
        if (span[0] < last) return;
        fragment.appendChild(document.createTextNode(original.slice(last, span[0])));
        var hit = document.createElement("mark");
        hit.className = "hit";
        hit.textContent = original.slice(span[0], span[1]);
        fragment.appendChild(hit);
        last = span[1];
      });
      fragment.appendChild(document.createTextNode(original.slice(last)));
      node.parentNode.replaceChild(fragment, node);
    });
  }

  function describe(state, count, total) {
    var parts = [];
    if (state.q) parts.push("“" + state.q + "”");
    ["tag", "actor", "place", "status"].forEach(function (name) { if (state[name]) parts.push(name + " " + state[name]); });
    if (state.from || state.to) parts.push("years " + (state.from || "…") + "–" + (state.to || "…"));
    var events = count === 1 ? "1 event" : count + " events";
    return (count ? events : "No events") + " of " + total + " match " + parts.join(", ") + ".";
  }

  function showAll() {
    document.querySelectorAll(".timeline .events > li, .timeline section.year").forEach(function (element) {
      element.hidden = false;
    });
    document.querySelectorAll(".timeline .event").forEach(unmark);
    if (more) { more.hidden = true; more.querySelector("ol").textContent = ""; }
    statusLine.textContent = "";
    tools.classList.remove("is-filtering");
  }

  function render(state, text) {
    var want = {};
    ["tag", "actor", "place", "status"].forEach(function (name) { want[name] = wanted(state, name); });
    var matching = new Set();
    rows.forEach(function (event) { if (passes(event, state, want, text, null)) matching.add(event.id); });
    updateCounts(state, want, text);

    var words = state.q ? fold(state.q).split(/\s+/).filter(function (w) { return w.length > 1; }) : [];
    var shown = new Set();
    document.querySelectorAll(".timeline .event").forEach(function (card) {
      var item = card.closest("li") || card;
      var hit = matching.has(card.id);
      item.hidden = !hit;
      unmark(card);
      if (hit) {
        shown.add(card.id);
        card.querySelectorAll(".event-title, .event-summary").forEach(function (part) { mark(part, words); });
      }
    });
    document.querySelectorAll(".timeline section.year").forEach(function (section) {
      section.hidden = !section.querySelector(".events > li:not([hidden])");
    });

    if (more) {  // matches whose year is not on this page
      var list = more.querySelector("ol");
      list.textContent = "";
      var missing = rows.filter(function (event) { return matching.has(event.id) && !shown.has(event.id); });
      missing.slice(0, 500).forEach(function (event) {
        var item = document.createElement("li");
        var link = document.createElement("a");
        link.href = tools.dataset.base + "events/" + event.id + "/";
        link.textContent = event.title;
        var when = document.createElement("span");
        when.className = "more-date";
        when.textContent = event.date + " · " + manifest.statuses[event.status];
        item.append(when, " ", link);
        list.appendChild(item);
      });
      more.hidden = missing.length === 0;
    }
    statusLine.textContent = describe(state, matching.size, rows.length);
    tools.classList.add("is-filtering");
  }

  function apply(state) {
    var mine = ++generation;
    showState(state);
    if (isEmpty(state)) { showAll(); return Promise.resolve(); }
    statusLine.textContent = "Searching…";
    return loadManifest().then(function () {
      return state.q ? textMatches(state.q) : null;
    }).then(function (text) {
      if (mine === generation) render(state, text);
    }).catch(function (error) {
      if (mine === generation) statusLine.textContent = "Search is unavailable (" + error.message + "). Browse by tag, actor, place or year instead.";
    });
  }

  function commit() {
    var state = formState();
    var next = query(state);
    if (next !== location.search) history.pushState(null, "", location.pathname + next + location.hash);
    return apply(state);
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    clearTimeout(timer);
    commit();
  });
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(commit, 250);
  });
  form.addEventListener("change", function (event) {
    if (event.target !== input) commit();
  });
  form.addEventListener("reset", function () {
    setTimeout(commit, 0);  // after the form has cleared its fields
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && input.value) {
      event.preventDefault();
      input.value = "";
      clearTimeout(timer);
      commit();
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
  window.addEventListener("popstate", function () { apply(readState(location.search)); });

  // Warm up while the reader decides: the manifest is small, Pagefind loads on the first query.
  input.addEventListener("focus", function () { loadManifest().catch(function () {}); }, { once: true });

  var initial = readState(location.search);
  if (!isEmpty(initial)) apply(initial);
})();
