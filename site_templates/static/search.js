/* Search and filters for the timeline page.
 *
 * Progressive enhancement: the page lists every event without this script.
 * With it, the tools (a search box, a Filters button, the active filters as chips) work, and
 *   - filters (tag, actor, place, status, years) use data/manifest.json only:
 *     for each tag, actor and place the positions of its events, and every
 *     event's status and years (chronicle/site/facets.py),
 *   - text search loads Pagefind's index on the first query, and the shards of
 *     data/search-ids/ it needs map its results to events without fetching them,
 *   - matching events stay in the timeline itself (others are hidden), with
 *     the query's words highlighted, and each says why it matched: an excerpt of
 *     the field the words were found in (Pagefind's fragment of the event's search
 *     document, fetched as the card comes near the screen), or the actor or place
 *     filtered by; the year headings count what they show,
 *   - a summary above the list ("5 events, 2009–2022") says what is shown and the
 *     live region announces it; after a change made anywhere but by typing or by
 *     the overview's keys, the view moves to it if it is out of sight,
 *   - newest first or oldest first (the order= of the URL) reorders the list,
 *   - matches from years not on the page are listed above the timeline, a
 *     hundred at a time, from the small files of data/list/ that hold them,
 *   - the overview (static/overview.js) draws the matches and picks years: it is
 *     told the matches ("chronicle:matches") and asks for years ("chronicle:range"),
 *   - the URL holds the whole state (?q=barrett&tag=cjng&from=2009&to=2015&order=newest),
 *     so a link restores the view and Back/Forward step through changes. A link's
 *     values that make no sense (a year that is not a number, years the wrong way
 *     round, a tag the timeline does not have) are corrected or dropped, the URL
 *     with them, and a note says so without repeating them.
 * One state is ever shown: the one asked for last (wanted), which the URL and the
 * controls hold; apply() shows a state in the controls and works out its matches,
 * refresh() works them out again with whatever has loaded since.
 * A text query alone does not fetch the manifest: the filter counts are only
 * brought up to date when the filters are shown. No framework, no build step.
 */
(function () {
  "use strict";

  var tools = document.getElementById("timeline-tools");
  var Q = window.ChronicleQuery;  // query.js: the query string of a view, shared with the widget
  if (!tools) return;
  if (!Q || !window.fetch || !window.URLSearchParams || !history.pushState || !window.IntersectionObserver) {
    tools.hidden = true;  // a browser too old for it: no dead controls (the page lists every event)
    document.documentElement.classList.remove("search-pending");
    return;
  }

  var data = tools.dataset;
  var form = tools.querySelector("form");
  var input = form.elements.q;
  var panel = document.getElementById("filter-panel");
  var toggle = tools.querySelector(".filters-toggle");
  var filterCount = document.getElementById("filter-count");
  var chips = document.getElementById("active-filters");
  var jump = document.getElementById("jump-results");
  var jumpCount = document.getElementById("jump-count");
  var hint = document.getElementById("search-hint");
  var results = document.getElementById("results");
  var resultsCount = document.getElementById("results-count");
  var resultsYears = document.getElementById("results-years");
  var resultsWhat = document.getElementById("results-what");
  var note = document.getElementById("query-note");
  var orders = Array.prototype.slice.call(results.querySelectorAll("input[name=order]"));
  var statusLine = document.getElementById("search-status");
  var more = document.getElementById("search-more");
  var moreList = more.querySelector("ol");
  var moreCount = document.getElementById("search-more-count");
  var moreButton = more.querySelector("button");
  var timeline = document.querySelector(".timeline");
  var PAGE = 100;  // matches listed at a time
  var FACETS = { tag: "tags", actor: "actors", place: "places" };
  var FILTERS = ["tag", "actor", "place", "status"];
  var SEARCH = Q.FIELDS;  // what narrows the list: the view, as query.js reads and writes it
  var FIELDS = SEARCH.concat(["order"]);  // and this page's order, which a widget does not take
  var CODE = { text: 1, tag: 2, actor: 3, place: 4, status: 5, years: 6 };  // which filter an event failed
  var total = parseInt(data.count, 10) || 0;
  var chunkSize = parseInt(data.listChunk, 10) || 100;
  var idPrefix = parseInt(data.idPrefix, 10) || 1;
  var firstYear = parseInt(form.elements.from.min, 10);
  var lastYear = parseInt(form.elements.from.max, 10);
  var allYears = resultsYears.textContent;

  // The cards on this page, their list items, year sections and positions in the timeline.
  var cards = Array.prototype.slice.call(document.querySelectorAll(".timeline .event"));
  var items = cards.map(function (card) { return card.closest("li") || card; });
  var first = parseInt(data.first, 10);  // the cards are the latest events, in timeline order
  var positions = cards.map(function (card, k) { return first + k; });
  var sections = Array.prototype.slice.call(document.querySelectorAll(".timeline section.year"));
  var sectionOf = cards.map(function (card) { return sections.indexOf(card.closest("section.year")); });
  var yearCounts = sections.map(function (section) { return section.querySelector(".year-count"); });
  var marked = cards.map(function () { return ""; });  // the words each card is highlighted with
  var whys = cards.map(function () { return null; });  // each card's "why it matched" line, once made
  var inline = new Uint8Array(total);
  positions.forEach(function (p) { if (p < total) inline[p] = 1; });
  var consistent = first >= 0 && first + cards.length === total;

  var facets = null;  // the decoded manifest, once loaded
  var facetsLoading = null;
  var pagefindLoading = null;
  var idMaps = new Map();  // shard prefix (or "" for the whole map) -> {pagefind id: position}
  var listChunks = new Map();  // list file number -> promise of its rows
  var listRows = new Map();  // list file number -> its rows, once loaded
  var textCache = new Map();  // folded query -> promise of its matches ({positions, results})
  var textDone = new Map();  // folded query -> its matches, once known
  var wanted = null;  // the state asked for last, which the URL and the controls hold: the only state ever shown
  var wantedFacets = false;  // whether the work on it uses the manifest (and so the filters and their counts)
  var reveal = false;  // move the view to the summary once the state asked for last is shown
  var newest = false;  // the order the list is in now
  var missing = [];  // positions of matches not on the page, in the order shown
  var rowText = null;  // the text matches the list of them shows, with Pagefind's result for each
  var listed = 0;  // how many of them the list shows
  var generation = 0;
  var countGeneration = 0;
  var timer = 0;
  var filters = form.querySelector(".filters") || form;

  document.documentElement.classList.add("has-search");
  var totals = new Map();  // each option's text as built: the counts of the whole timeline
  FILTERS.forEach(function (name) {
    Array.prototype.forEach.call(form.elements[name].options, function (option) { totals.set(option, option.textContent); });
  });

  var fold = Q.fold;

  function plural(n, word) { return n + " " + word + (n === 1 ? "" : "s"); }

  // ---- the state: read from the URL (checked), from the controls, written to the URL -------------

  function readState(search) {
    var state = Q.parse(search);
    state.order = (new URLSearchParams(search).get("order") || "").trim();
    return state;
  }

  /* A state from a link, with what makes no sense corrected or dropped; notes say what, never quoting it. */
  function checked(state) {
    var notes = [];
    var clean = {};
    FIELDS.forEach(function (name) { clean[name] = state[name]; });
    if (clean.q.length > 200) clean.q = clean.q.slice(0, 200);
    FILTERS.forEach(function (name) {
      if (clean[name] && !optionFor(name, clean[name])) {
        clean[name] = "";
        notes.push("The link asked for a" + (name === "actor" ? "n " : " ") + name + " this timeline does not have, which is left out.");
      }
    });
    ["from", "to"].forEach(function (name) {
      if (clean[name] && !/^\d{1,4}$/.test(clean[name])) {
        clean[name] = "";
        notes.push("The link’s “" + name + "” was not a year, and is left out.");
      } else if (clean[name]) clean[name] = String(parseInt(clean[name], 10));
    });
    if (clean.from && clean.to && parseInt(clean.from, 10) > parseInt(clean.to, 10)) {
      var from = clean.from;
      clean.from = clean.to;
      clean.to = from;
      notes.push("The link’s years were the wrong way round: " + clean.from + "–" + clean.to + " is shown.");
    }
    if (clean.order && clean.order !== "newest") {
      clean.order = "";
      notes.push("The link asked for an order this page does not know: oldest first is shown.");
    }
    return { state: clean, notes: notes };
  }

  function optionFor(name, value) {
    return Array.prototype.find.call(form.elements[name].options, function (option) { return option.value === value; });
  }

  function formState() {
    var state = {};
    SEARCH.forEach(function (name) { state[name] = String(form.elements[name].value || "").trim(); });
    var order = orders.find(function (radio) { return radio.checked; });
    state.order = order ? order.value : "";
    return checked(state).state;
  }

  function query(state) {
    var text = Q.toSearch(state);
    return state.order ? text + (text ? "&" : "?") + "order=" + encodeURIComponent(state.order) : text;
  }

  function isEmpty(state) {
    return Q.isEmpty(state);
  }

  function isFiltering(state) {
    return Q.isFiltering(state);
  }

  function showState(state) {
    SEARCH.forEach(function (name) {
      var control = form.elements[name];
      if (control.value !== state[name]) control.value = state[name];
    });
    orders.forEach(function (radio) { radio.checked = radio.value === state.order; });
    showChips(state);
  }

  function showNotes(notes) {
    note.textContent = notes.join(" ");
    note.hidden = !notes.length;
  }

  // ---- the active filters as chips, and the Filters button ----------------------------------------

  function chip(label, fields) {
    var item = document.createElement("li");
    var button = document.createElement("button");
    button.type = "button";
    button.className = "chip";
    button.dataset.clear = fields.join(" ");
    button.setAttribute("aria-label", "Remove the filter " + label);
    var text = document.createElement("span");
    text.textContent = label;
    var cross = document.createElement("span");
    cross.className = "chip-x";
    cross.setAttribute("aria-hidden", "true");
    cross.textContent = "×";
    button.append(text, cross);
    item.appendChild(button);
    return item;
  }

  function showChips(state) {
    var made = [];
    FILTERS.forEach(function (name) { if (state[name]) made.push(chip(name + ": " + state[name], [name])); });
    if (state.from || state.to) {
      made.push(chip(state.from === state.to ? "year: " + state.from : "years: " + (state.from || firstYear) + "–" + (state.to || lastYear), ["from", "to"]));
    }
    chips.textContent = "";
    made.forEach(function (item) { chips.appendChild(item); });
    if (made.length || state.q) {
      var item = document.createElement("li");
      var clear = document.createElement("button");
      clear.type = "reset";
      clear.className = "chip chip-clear";
      clear.textContent = "Clear all";
      item.appendChild(clear);
      chips.appendChild(item);
    }
    chips.hidden = !chips.children.length;
    hint.hidden = !chips.hidden;
    jump.hidden = chips.hidden;
    chips.classList.toggle("is-overflowing", chips.scrollWidth > chips.clientWidth + 1);  // faded at the edge: it scrolls
    filterCount.textContent = made.length ? " · " + made.length : "";
  }

  chips.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-clear]");
    if (!button) return;
    var at = Array.prototype.indexOf.call(chips.querySelectorAll("button"), button);
    button.dataset.clear.split(" ").forEach(function (name) { form.elements[name].value = ""; });
    commit(true);
    var left = chips.querySelectorAll("button");  // focus stays in the chips: on the next one, or Clear all
    if (left.length) left[Math.min(at, left.length - 1)].focus({ preventScroll: true });
    else input.focus({ preventScroll: true });
  });

  jump.addEventListener("click", function () {
    reveal = true;
    revealResults();
    results.focus({ preventScroll: true });
  });

  toggle.addEventListener("click", function () {
    var open = panel.hidden;
    panel.hidden = !open;
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
    if (open) panelOpened();
  });

  // ---- data: the manifest, Pagefind, the result ids, the list files ------------------------------

  function fetchJSON(url) {
    return fetch(url).then(function (response) {
      if (!response.ok) throw new Error(url.split("/").slice(-2).join("/") + " " + response.status);
      return response.json();
    });
  }

  /* A list of gaps (chronicle.site.facets.gaps) back into the numbers. */
  function ungap(gaps) {
    var out = new Int32Array(gaps.length);
    var sum = 0;
    for (var i = 0; i < gaps.length; i++) { sum += gaps[i]; out[i] = sum; }
    return out;
  }

  function decodeFacets(raw) {
    if (raw.count !== total) throw new Error("the search data does not match this page; reload it");
    var from = ungap(raw.from);
    var to = new Int32Array(total);
    for (var i = 0; i < total; i++) to[i] = from[i] + raw.span[i];
    var decoded = { from: from, to: to, status: Uint8Array.from(raw.status), names: {}, index: {}, postings: {} };
    FILTERS.forEach(function (name) {
      var names = name === "status" ? raw.statuses : raw[FACETS[name]];
      decoded.names[name] = names;
      decoded.index[name] = new Map(names.map(function (value, n) { return [value, n]; }));
      if (name !== "status") decoded.postings[name] = raw.postings[FACETS[name]].map(ungap);
    });
    return decoded;
  }

  function loadFacets() {
    if (!facetsLoading) {
      facetsLoading = fetchJSON(data.manifest).then(decodeFacets).then(function (decoded) {
        facets = decoded;
        return decoded;
      }, function (error) {
        facetsLoading = null;
        throw error;
      });
    }
    return facetsLoading;
  }

  function loadPagefind() {
    if (!pagefindLoading) {
      pagefindLoading = import(data.pagefind).then(function (engine) {
        return engine.options({ baseUrl: data.base }).then(function () { return engine; });
      }).catch(function (error) {
        pagefindLoading = null;
        throw error;
      });
    }
    return pagefindLoading;
  }

  /* Pagefind results to timeline positions (and each position's result, for its excerpt): the shards
     of the id map holding them, or the whole map for a broad query. */
  function positionsOf(found) {
    var ids = found.map(function (result) { return result.id; });
    var shardOf = function (id) { return id.slice(id.lastIndexOf("_") + 1, id.lastIndexOf("_") + 1 + idPrefix); };
    var needed = new Set();
    if (!idMaps.has("")) ids.forEach(function (id) { if (!idMaps.has(shardOf(id))) needed.add(shardOf(id)); });
    var whole = needed.size > Math.min(32, Math.pow(16, idPrefix) / 2);
    var loads = whole ? [""] : Array.from(needed);
    return Promise.all(loads.map(function (prefix) {
      var url = prefix ? data.idShards + prefix + ".json" : data.ids;
      return fetchJSON(url).then(function (map) { idMaps.set(prefix, map); });
    })).then(function () {
      var byPosition = new Map();
      found.forEach(function (result) {
        var map = idMaps.get("") || idMaps.get(shardOf(result.id));
        var position = map && map[result.id];
        if (typeof position === "number" && position < total && !byPosition.has(position)) byPosition.set(position, result);
      });
      return { positions: Int32Array.from(byPosition.keys()).sort(), results: byPosition };
    });
  }

  function textMatches(text) {
    var key = fold(text);
    if (!textCache.has(key)) {
      textCache.set(key, loadPagefind().then(function (engine) {
        return engine.search(text);
      }).then(function (search) {
        return positionsOf(search.results);
      }).then(function (found) {
        textDone.set(key, found);
        return found;
      }, function (error) {
        textCache.delete(key);
        throw error;
      }));
    }
    return textCache.get(key);
  }

  // ---- which events match -----------------------------------------------------------------------

  /* Which events pass every filter. With the manifest, also how many filters each event fails and
     which it failed last: an event failing only the tag filter counts towards the other tags. */
  function evaluate(state, text, f) {
    var mask = new Uint8Array(total);
    var matches = [];
    var i;
    if (!f) {  // a text query alone
      text.forEach(function (p) { mask[p] = 1; });
      return { mask: mask, matches: Array.from(text), fails: null, last: null };
    }
    var fails = new Uint8Array(total);
    var last = new Uint8Array(total);
    var ok = new Uint8Array(total);
    function failUnless(code) {
      for (var j = 0; j < total; j++) if (!ok[j]) { fails[j]++; last[j] = code; }
    }
    if (text) {
      text.forEach(function (p) { ok[p] = 1; });
      failUnless(CODE.text);
    }
    Object.keys(FACETS).forEach(function (name) {
      if (!state[name]) return;
      ok.fill(0);
      var value = f.index[name].get(state[name]);
      if (value !== undefined) f.postings[name][value].forEach(function (p) { ok[p] = 1; });
      failUnless(CODE[name]);
    });
    if (state.status) {
      var status = f.index.status.get(state.status);
      for (i = 0; i < total; i++) if (f.status[i] !== status) { fails[i]++; last[i] = CODE.status; }
    }
    var from = parseInt(state.from, 10);
    var to = parseInt(state.to, 10);
    if (!isNaN(from) || !isNaN(to)) {
      for (i = 0; i < total; i++) {
        if ((!isNaN(from) && f.to[i] < from) || (!isNaN(to) && f.from[i] > to)) { fails[i]++; last[i] = CODE.years; }
      }
    }
    for (i = 0; i < total; i++) if (!fails[i]) { mask[i] = 1; matches.push(i); }
    return { mask: mask, matches: matches, fails: fails, last: last };
  }

  /* Beside each value, the events that would match if it were chosen (the other filters kept). */
  function updateCounts(f, result) {
    var fails = result.fails;
    var last = result.last;
    FILTERS.forEach(function (name) {
      var code = CODE[name];
      var counts = new Int32Array(f.names[name].length);
      var i;
      if (name === "status") {
        for (i = 0; i < total; i++) if (fails[i] === 0 || (fails[i] === 1 && last[i] === code)) counts[f.status[i]]++;
      } else {
        f.postings[name].forEach(function (list, value) {
          var n = 0;
          for (var k = 0; k < list.length; k++) {
            var p = list[k];
            if (fails[p] === 0 || (fails[p] === 1 && last[p] === code)) n++;
          }
          counts[value] = n;
        });
      }
      Array.prototype.forEach.call(form.elements[name].options, function (option) {
        if (!option.value) return;
        var value = f.index[name].get(option.value);
        var text = option.dataset.label + " (" + (value === undefined ? 0 : counts[value]) + ")";
        if (option.textContent !== text) option.textContent = text;
      });
    });
  }

  function restoreCounts() {
    totals.forEach(function (text, option) { if (option.textContent !== text) option.textContent = text; });
  }

  /* The counts sit in closed menus: they are brought up to date once the matches are painted, so that
     the reader sees the matches a frame sooner. Until then the filters are marked busy. */
  function countLater(update) {
    var mine = ++countGeneration;
    filters.setAttribute("aria-busy", "true");
    requestAnimationFrame(function () {
      setTimeout(function () {
        if (mine !== countGeneration) return;
        update();
        filters.removeAttribute("aria-busy");
      }, 0);
    });
  }

  // ---- the words highlighted, and why each event matched -------------------------------------------

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

  /* The card's title, summary and tags, marked with these words (and the tag filtered by). */
  function highlight(k, words, tag) {
    var key = words.join(" ") + "#" + (tag || "");
    if (marked[k] === key) return;
    var parts = cards[k].querySelectorAll(".event-title, .event-summary");
    if (marked[k]) parts.forEach(unmark);
    if (words.length) parts.forEach(function (part) { mark(part, words); });
    cards[k].querySelectorAll(".tags a").forEach(function (link) {
      var name = link.textContent;
      var hit = (!!tag && name === tag) || name.split("-").some(function (part) {
        return words.some(function (word) { return part.indexOf(word) === 0; });
      });
      if (link.classList.contains("tag-hit") !== hit) link.classList.toggle("tag-hit", hit);
    });
    marked[k] = key;
  }

  /* Pagefind's fragment of an event's search document (chronicle/site/search.py: search_document),
     whose fields are marked by the ids of empty-texted elements: Pagefind lists them as anchors with
     the number of the word they start at. The words it matched are data.locations. */
  var FIELD_LABELS = { d: "In the date and status", s: "In the summary", b: "In the text", a: "Actors", p: "Places", g: "Tags", c: "Source" };

  function fields(data) {
    var starts = (data.anchors || []).filter(function (a) { return /^[dsbapgcr]\d*$/.test(a.id); })
      .sort(function (a, b) { return a.location - b.location; });
    return [{ id: "t", location: 0 }].concat(starts);
  }

  function whyFrom(data) {
    var words = data.raw_content.split(/[\r\n\s]+/g).map(function (w) { return w.replace(/&lt;/g, "<").replace(/&gt;/g, ">"); });
    var found = fields(data);
    var hits = new Set(data.locations || []);
    var perField = found.map(function () { return 0; });
    var at = 0;
    (data.locations || []).slice().sort(function (a, b) { return a - b; }).forEach(function (location) {
      while (at < found.length - 1 && found[at + 1].location <= location) at++;
      perField[at]++;
    });
    // A field the card does not show first (text, names, sources), else the summary, else the title.
    var best = -1;
    found.forEach(function (field, i) {
      if (!perField[i] || "ts".indexOf(field.id.charAt(0)) >= 0) return;
      if (best < 0 || perField[i] > perField[best]) best = i;
    });
    if (best < 0) best = found.findIndex(function (f, i) { return f.id === "s" && perField[i]; });
    if (best < 0) best = 0;
    var field = found[best];
    var start = field.location;
    var end = best + 1 < found.length ? found[best + 1].location : words.length;
    var label = FIELD_LABELS[field.id.charAt(0)] || "In the title";
    if (field.id.charAt(0) === "r") {  // a quoted passage: named by its source (title · publisher), the publisher first
      var cited = found[best - 1];
      var source = cited && cited.id.charAt(0) === "c" ? words.slice(cited.location, field.location).join(" ").replace(/\.$/, "") : "";
      source = source.split(" · ").pop() || "a source";
      label = "Quoted from " + (source.length > 24 ? source.slice(0, 22).replace(/\s+\S*$/, "") + "…" : source);
    }
    var firstHit = start;
    for (var i = start; i < end; i++) if (hits.has(i)) { firstHit = i; break; }
    var from = Math.max(start, firstHit - 3);  // the words found early in the line, which shows two lines of it
    var to = Math.min(end, from + 20);
    var parts = [];
    for (var w = from; w < to; w++) parts.push({ text: words[w], hit: hits.has(w) });
    // Pagefind ends each block of text with a full stop: not a list of names', nor the date's
    if (to === end && /^[dapgc]/.test(field.id) && parts.length) parts[parts.length - 1].text = parts[parts.length - 1].text.replace(/\.$/, "");
    return { label: label, words: parts, before: from > start, after: to < end, matched: Array.from(hits).map(function (i) { return words[i]; }) };
  }

  function whyLine(k) {
    if (!whys[k]) {
      var line = document.createElement("p");
      line.className = "why";
      var summary = cards[k].querySelector(".event-summary");
      summary.parentNode.insertBefore(line, summary);  // under the title: the first thing read after it
      whys[k] = line;
    }
    return whys[k];
  }

  function writeWhy(line, reasons, excerpt) {
    line.textContent = "";
    reasons.forEach(function (reason) {
      var label = document.createElement("span");
      label.className = "why-field";
      label.textContent = reason[0] + ": ";
      line.append(label, reason[1], " ");
    });
    if (!excerpt) return;
    var label = document.createElement("span");
    label.className = "why-field";
    label.textContent = excerpt.label + ": ";
    line.appendChild(label);
    if (excerpt.before) line.append("…");
    excerpt.words.forEach(function (word, i) {
      if (i) line.append(" ");
      if (word.hit) {  // the word marked, not the punctuation around it
        var parts = /^([^\p{L}\p{N}]*)(.*?)([^\p{L}\p{N}]*)$/u.exec(word.text);
        var hit = document.createElement("mark");
        hit.className = "hit";
        hit.textContent = parts[2];
        line.append(parts[1], hit, parts[3]);
      } else line.append(word.text);
    });
    if (excerpt.after) line.append("…");
  }

  /* Why each match matched: the actor or place filtered by at once; for a text query, an excerpt once
     the card (or the row of the list of other matches) comes near the screen, its fragment fetched
     then. The line keeps its height meanwhile. */
  var pending = new Map();  // card or row -> what its line waits for: {result, line, card, reasons, words, tag, generation}
  var nearScreen = new IntersectionObserver(function (entries) {
    entries.forEach(function (entry) {
      if (!entry.isIntersecting) return;
      var wait = pending.get(entry.target);
      nearScreen.unobserve(entry.target);
      if (!wait) return;
      pending.delete(entry.target);
      wait.result.data().then(function (fragment) {
        if (wait.generation !== generation) return;
        var excerpt = whyFrom(fragment);
        writeWhy(wait.line, wait.reasons, excerpt);
        if (wait.card < 0) return;
        var words = wait.words.concat(excerpt.matched.map(function (word) {
          return fold(word).replace(/[^\p{L}\p{N}]+/gu, "");
        }).filter(function (word) { return word.length > 1; }));
        highlight(wait.card, Array.from(new Set(words)), wait.tag);
      }).catch(function () {
        if (wait.generation === generation) writeWhy(wait.line, wait.reasons, null);
      });
    });
  }, { rootMargin: "600px 0px" });

  function awaitExcerpt(element, wait) {
    wait.line.append("…");
    wait.generation = generation;
    pending.set(element, wait);
    nearScreen.observe(element);
  }

  function explain(k, hit, state, text, words) {
    var reasons = [];
    if (hit && state.actor) reasons.push(["Actor", state.actor]);
    if (hit && state.place) reasons.push(["Place", state.place]);
    var result = hit && text && text.results.get(positions[k]);
    if (pending.delete(cards[k])) nearScreen.unobserve(cards[k]);
    if (!reasons.length && !result) {
      if (whys[k]) whys[k].hidden = true;
      return;
    }
    var line = whyLine(k);
    line.hidden = false;
    line.classList.toggle("why-text", !!result);
    writeWhy(line, reasons, null);
    if (result) awaitExcerpt(cards[k], { result: result, line: line, card: k, reasons: reasons, words: words, tag: state.tag });
  }

  // ---- what the list shows ----------------------------------------------------------------------------

  function describe(state) {
    var parts = [];
    if (state.q) parts.push("“" + state.q + "”");
    FILTERS.forEach(function (name) { if (state[name]) parts.push(name + " " + state[name]); });
    if (state.from && state.from === state.to) parts.push("year " + state.from);
    else if (state.from || state.to) parts.push("years " + (state.from || firstYear) + "–" + (state.to || lastYear));
    return parts.join(", ");
  }

  /* The years the matches start in: from the manifest, or from the first position of each year (the overview's data-starts). */
  function yearsOf(matches, f) {
    if (!matches.length) return "";
    var a = matches[0];
    var b = matches[matches.length - 1];
    var low = f ? f.from[a] : null;
    var high = f ? f.from[b] : null;
    if (!f) {
      var axis = document.querySelector(".axis-steer");
      var starts = axis ? axis.dataset.starts.split(" ").map(Number) : null;
      if (!starts) return "";
      var yearOf = function (p) { var y = 0; while (y < starts.length - 2 && p >= starts[y + 1]) y++; return firstYear + y; };
      low = yearOf(a);
      high = yearOf(b);
    }
    return low === high ? ", " + low : ", " + low + "–" + high;
  }

  function summarise(state, count, span) {
    resultsCount.textContent = count ? plural(count, "event") : "No events";
    jumpCount.textContent = resultsCount.textContent;
    jump.setAttribute("aria-label", "Go to the results: " + resultsCount.textContent);
    resultsYears.textContent = span;
    var what = describe(state);
    resultsWhat.textContent = !what ? "Every event" : count ? "of " + total + " match " + what
      : "None of the " + total + " matches " + what + ". Try other words, or fewer filters.";
    results.classList.toggle("is-empty", !count);
    var years = span.slice(2);
    var when = !years ? "" : years.indexOf("–") > 0 ? ", from " + years.replace("–", " to ") : ", in " + years;
    var sentence = (count ? plural(count, "event") : "No events") + " of " + total + " match " + what + when + ".";
    statusLine.textContent = sentence;
    tools.classList.add("is-filtering");
    results.classList.add("is-filtering");
  }

  /* Newest first or oldest first: the year sections, the cards in each, and the list of other matches. */
  function order(state) {
    var wantNewest = state.order === "newest";
    if (wantNewest === newest) return;
    newest = wantNewest;
    (newest ? sections.slice().reverse() : sections).forEach(function (section) { timeline.appendChild(section); });
    sections.forEach(function (section) {
      var list = section.querySelector("ol.events");
      Array.prototype.slice.call(list.children).reverse().forEach(function (item) { list.appendChild(item); });
    });
    // the other matches are of older years: before the timeline oldest first, after it newest first
    if (newest) timeline.parentNode.insertBefore(more, timeline.nextSibling);
    else timeline.parentNode.insertBefore(more, timeline);
  }

  /* Move the view to the summary, when a change asked for it and the summary is out of sight. */
  function revealResults() {
    if (!reveal) return;
    reveal = false;
    var strip = document.querySelector(".axis-strip");
    var top = strip ? strip.offsetHeight : 0;
    var box = results.getBoundingClientRect();
    if (box.top >= top && box.bottom <= window.innerHeight) return;
    window.scrollTo({ top: box.top + window.pageYOffset - top });
  }

  function told(matches, mask, state) {
    document.documentElement.classList.remove("search-pending");  // static/early.js: the list shown, as it stays
    document.dispatchEvent(new CustomEvent("chronicle:matches", {
      detail: { matches: matches, mask: mask, from: state.from, to: state.to },
    }));
  }

  /* The rows (id, title, date, status) of these positions, fetching the list files that hold them. */
  function rowsOf(list) {
    var files = new Set(list.map(function (p) { return Math.floor(p / chunkSize); }));
    return Promise.all(Array.from(files).map(function (n) {
      if (!listChunks.has(n)) {
        listChunks.set(n, fetchJSON(data.list + n + ".json").then(function (rows) {
          listRows.set(n, rows);
        }, function (error) {
          listChunks.delete(n);
          throw error;
        }));
      }
      return listChunks.get(n);
    })).then(function () {
      return list.map(function (p) { return listRows.get(Math.floor(p / chunkSize))[p % chunkSize]; });
    });
  }

  function listItem(row) {
    var item = document.createElement("li");
    var link = document.createElement("a");
    link.href = data.base + "events/" + row[0] + "/";
    link.textContent = row[1];
    var when = document.createElement("span");
    when.className = "more-date";
    when.textContent = row[2] + " · " + row[3];
    item.append(when, " ", link);
    return item;
  }

  function appendRows(rows) {
    var fragment = document.createDocumentFragment();
    rows.forEach(function (row, i) {
      var item = listItem(row);
      var result = rowText && rowText.results.get(missing[listed + i]);
      if (result) {
        var line = document.createElement("span");
        line.className = "why why-text";
        item.append(" ", line);
        awaitExcerpt(item, { result: result, line: line, card: -1, reasons: [], words: [], tag: "" });
      }
      fragment.appendChild(item);
    });
    moreList.appendChild(fragment);
    listed += rows.length;
    var left = missing.length - listed;
    moreCount.textContent = "Showing " + listed + " of " + missing.length + ".";
    moreButton.textContent = "Show " + Math.min(PAGE, left) + " more";
    moreButton.hidden = left <= 0;
  }

  function showAll(state) {
    order(state);
    items.forEach(function (item) { if (item.hidden) item.hidden = false; });
    sections.forEach(function (section) { if (section.hidden) section.hidden = false; });
    cards.forEach(function (card, k) { highlight(k, [], ""); explain(k, false, state, null, []); });
    yearCounts.forEach(function (count) { count.textContent = plural(parseInt(count.dataset.total, 10), "event"); });
    countLater(restoreCounts);
    more.hidden = true;
    pending.forEach(function (wait, element) { if (wait.card < 0) { pending.delete(element); nearScreen.unobserve(element); } });
    moreList.textContent = "";
    missing = [];
    listed = 0;
    resultsCount.textContent = plural(total, "event");
    resultsYears.textContent = allYears;
    resultsWhat.textContent = "Every event";
    statusLine.textContent = state.order ? "Every event, newest first." : "";
    tools.classList.remove("is-filtering");
    results.classList.remove("is-filtering", "is-empty");
    told(null, null, state);
    revealResults();
  }

  /* Work out the matches, fetch the rows the list shows first, then change the page in one go. */
  function render(state, text, f, mine) {
    if (!consistent) throw new Error("this page and its search data differ; reload it");
    var result = evaluate(state, text && text.positions, f);
    var away = result.matches.filter(function (p) { return !inline[p]; });
    if (state.order === "newest") away.reverse();
    return rowsOf(away.slice(0, PAGE)).then(function (rows) {
      if (mine !== generation) return;
      countLater(f ? function () { updateCounts(f, result); } : restoreCounts);
      order(state);
      var words = state.q ? fold(state.q).split(/\s+/).filter(function (w) { return w.length > 1; }) : [];
      var shown = new Int32Array(sections.length);
      cards.forEach(function (card, k) {
        var hit = result.mask[positions[k]] === 1;
        if (items[k].hidden === hit) items[k].hidden = !hit;
        highlight(k, hit ? words : [], hit ? state.tag : "");
        explain(k, hit, state, text, words);
        if (hit && sectionOf[k] >= 0) shown[sectionOf[k]]++;
      });
      sections.forEach(function (section, s) {
        if (section.hidden !== !shown[s]) section.hidden = !shown[s];
        var all = parseInt(yearCounts[s].dataset.total, 10);
        var text = shown[s] === all ? plural(all, "event") : shown[s] + " of " + plural(all, "event");
        if (yearCounts[s].textContent !== text) yearCounts[s].textContent = text;
      });
      missing = away;
      listed = 0;
      moreList.textContent = "";
      pending.forEach(function (wait, element) { if (wait.card < 0) { pending.delete(element); nearScreen.unobserve(element); } });
      rowText = text;
      appendRows(rows);
      more.hidden = missing.length === 0;
      summarise(state, result.matches.length, yearsOf(result.matches, f));
      told(result.matches, result.mask, state);
      revealResults();
    });
  }

  /* Show a state from the URL (or from the form, just pushed to the URL) in the controls and work out its matches. */
  function apply(state) {
    showState(state);
    wanted = state;
    return refresh();
  }

  /* Work out the matches of the wanted state again, with what is loaded now; the controls are left alone.
     Whatever arrives later (the manifest, Pagefind, list files) is used by calling this, never by showing
     a state kept from before: a result for an older request is dropped (generation). */
  function refresh() {
    var state = wanted;
    var mine = ++generation;
    if (isEmpty(state)) { wantedFacets = false; showAll(state); return Promise.resolve(); }
    var withFacets = isFiltering(state) || facets !== null || !panel.hidden;
    wantedFacets = withFacets;
    if ((withFacets && !facets) || (state.q && !textDone.has(fold(state.q)))) {
      statusLine.textContent = "Searching…";
      results.classList.add("is-busy");
    }
    return Promise.all([withFacets ? loadFacets() : null, state.q ? textMatches(state.q) : null]).then(function (loaded) {
      if (mine === generation) return render(state, loaded[1], loaded[0], mine);
    }).catch(function (error) {
      if (mine !== generation) return;
      statusLine.textContent = "Search is unavailable (" + error.message + "). Browse by tag, actor, place or year instead.";
      resultsWhat.textContent = statusLine.textContent;
      document.documentElement.classList.remove("search-pending");
    }).then(function () {
      if (mine === generation) results.classList.remove("is-busy");
    });
  }

  /* The controls' state, into the URL and onto the page. show: move the view to the summary afterwards. */
  function commit(show) {
    clearTimeout(timer);  // this takes the whole form, typed text included
    var state = formState();
    var next = query(state);
    if (next !== location.search) history.pushState(null, "", location.pathname + next + location.hash);
    showNotes([]);
    reveal = !!show;
    return apply(state);
  }

  // ---- the controls ---------------------------------------------------------------------------------

  moreButton.addEventListener("click", function () {
    var mine = generation;
    var from = listed;
    moreButton.disabled = true;
    rowsOf(missing.slice(from, from + PAGE)).then(function (rows) {
      if (mine !== generation) return;
      appendRows(rows);
      var first = moreList.children[from];
      if (first) first.querySelector("a").focus();  // where the new matches start
    }).catch(function (error) {
      moreCount.textContent = "More matches could not be loaded (" + error.message + ").";
    }).then(function () {
      moreButton.disabled = false;
    });
  });

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
    var read = checked(readState(location.search));
    showNotes(read.notes);
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
  input.addEventListener("focus", function () { loadPagefind().catch(function () {}); }, { once: true });
  function panelOpened() {
    if (facets) return;
    loadFacets().then(function () {
      if (wanted && !isEmpty(wanted) && !wantedFacets) refresh();
    }).catch(function () {});
  }

  var initial = checked(readState(location.search));
  var typed = input.value.trim();  // words typed before this script ran (it is loaded on demand: overview.js)
  if (initial.notes.length) {
    showNotes(initial.notes);
    history.replaceState(null, "", location.pathname + query(initial.state) + location.hash);
  }
  if (typed && typed !== initial.state.q) {
    showState(initial.state);
    input.value = typed;
    commit(false);
  } else {
    // A shared link: the view moves to what it shows, unless the reader has moved already (or it names a place).
    reveal = !isEmpty(initial.state) && !location.hash && window.pageYOffset === 0;
    if (!isEmpty(initial.state) || initial.state.order) apply(initial.state);
    else { showState(initial.state); wanted = initial.state; told(null, null, initial.state); }
  }
  if (document.activeElement === input) loadPagefind().catch(function () {});
  document.dispatchEvent(new CustomEvent("chronicle:search-ready"));
})();
