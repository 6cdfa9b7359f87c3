/* Search and filters for the timeline page.
 *
 * Progressive enhancement: the page lists every event without this script.
 * With it, the tools panel appears and
 *   - filters (tag, actor, place, status, years) use data/manifest.json only:
 *     for each tag, actor and place the positions of its events, and every
 *     event's status and years (chronicle/search.py),
 *   - text search loads Pagefind's index on the first query, and the shards of
 *     data/search-ids/ it needs map its results to events without fetching them,
 *   - matching events stay in the timeline itself (others are hidden), with
 *     the query's words highlighted and the count announced,
 *   - matches from years not on the page are listed below the search form, a
 *     hundred at a time, from the small files of data/list/ that hold them,
 *   - the URL holds the whole state (?q=barrett&tag=cjng&from=2009&to=2015),
 *     so a link restores the view and Back/Forward step through changes.
 * A text query alone does not fetch the manifest: the filter counts are only
 * brought up to date when the filters are shown. No framework, no build step.
 */
(function () {
  "use strict";

  var tools = document.getElementById("timeline-tools");
  var Q = window.ChronicleQuery;  // query.js: the query string of a view, shared with the widget
  if (!tools || !Q || !window.fetch || !window.URLSearchParams || !history.pushState) return;

  var data = tools.dataset;
  var form = tools.querySelector("form");
  var input = form.elements.q;
  var panel = form.querySelector("details");
  var statusLine = document.getElementById("search-status");
  var more = document.getElementById("search-more");
  var moreList = more.querySelector("ol");
  var moreCount = document.getElementById("search-more-count");
  var moreButton = more.querySelector("button");
  var PAGE = 100;  // matches listed at a time
  var FACETS = { tag: "tags", actor: "actors", place: "places" };
  var FILTERS = ["tag", "actor", "place", "status"];
  var FIELDS = Q.FIELDS;
  var CODE = { text: 1, tag: 2, actor: 3, place: 4, status: 5, years: 6 };  // which filter an event failed
  var total = parseInt(data.count, 10) || 0;
  var chunkSize = parseInt(data.listChunk, 10) || 100;
  var idPrefix = parseInt(data.idPrefix, 10) || 1;

  // The cards on this page, their list items, year sections and positions in the timeline.
  var cards = Array.prototype.slice.call(document.querySelectorAll(".timeline .event"));
  var items = cards.map(function (card) { return card.closest("li") || card; });
  var first = parseInt(data.first, 10);  // the cards are the latest events, in timeline order
  var positions = cards.map(function (card, k) { return first + k; });
  var sections = Array.prototype.slice.call(document.querySelectorAll(".timeline section.year"));
  var sectionOf = cards.map(function (card) { return sections.indexOf(card.closest("section.year")); });
  var marked = cards.map(function () { return ""; });  // the words each card is highlighted with
  var inline = new Uint8Array(total);
  positions.forEach(function (p) { if (p < total) inline[p] = 1; });
  var consistent = first >= 0 && first + cards.length === total;

  var facets = null;  // the decoded manifest, once loaded
  var facetsLoading = null;
  var pagefindLoading = null;
  var idMaps = new Map();  // shard prefix (or "" for the whole map) -> {pagefind id: position}
  var listChunks = new Map();  // list file number -> promise of its rows
  var listRows = new Map();  // list file number -> its rows, once loaded
  var textCache = new Map();  // folded query -> promise of sorted positions
  var textDone = new Map();  // folded query -> sorted positions, once known
  var wanted = null;  // the state asked for last, which the URL and the controls hold: the only state ever shown
  var wantedFacets = false;  // whether the work on it uses the manifest (and so the filters and their counts)
  var missing = [];  // positions of matches not on the page, in timeline order
  var listed = 0;  // how many of them the list shows
  var generation = 0;
  var countGeneration = 0;
  var timer = 0;
  var filters = form.querySelector(".filters") || form;

  tools.hidden = false;
  document.documentElement.classList.add("has-search");
  var totals = new Map();  // each option's text as built: the counts of the whole timeline
  FILTERS.forEach(function (name) {
    Array.prototype.forEach.call(form.elements[name].options, function (option) { totals.set(option, option.textContent); });
  });

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function readState(search) {
    return Q.parse(search);
  }

  function formState() {
    var state = {};
    FIELDS.forEach(function (name) { state[name] = String(form.elements[name].value || "").trim(); });
    return state;
  }

  function query(state) {
    return Q.toSearch(state);
  }

  function isEmpty(state) {
    return Q.isEmpty(state);
  }

  function isFiltering(state) {
    return Q.isFiltering(state);
  }

  function showState(state) {
    if (panel && isFiltering(state)) panel.open = true;
    FIELDS.forEach(function (name) {
      var control = form.elements[name];
      if (control.value !== state[name]) {
        if (control.tagName === "SELECT" && state[name] && !control.querySelector('option[value="' + CSS.escape(state[name]) + '"]')) {
          var option = document.createElement("option");  // a value from a shared link that this site no longer has
          option.value = state[name];
          option.dataset.label = state[name];
          option.textContent = state[name] + " (0)";
          totals.set(option, option.textContent);
          control.appendChild(option);
        }
        control.value = state[name];
      }
    });
  }

  function fetchJSON(url) {
    return fetch(url).then(function (response) {
      if (!response.ok) throw new Error(url.split("/").slice(-2).join("/") + " " + response.status);
      return response.json();
    });
  }

  /* A list of gaps (chronicle.search.gaps) back into the numbers. */
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

  /* Pagefind result ids to timeline positions: the shards holding them, or the whole map for a broad query. */
  function positionsOf(ids) {
    var shardOf = function (id) { return id.slice(id.lastIndexOf("_") + 1, id.lastIndexOf("_") + 1 + idPrefix); };
    var wanted = new Set();
    if (!idMaps.has("")) ids.forEach(function (id) { if (!idMaps.has(shardOf(id))) wanted.add(shardOf(id)); });
    var whole = wanted.size > Math.min(32, Math.pow(16, idPrefix) / 2);
    var loads = whole ? [[""]] : Array.from(wanted).map(function (prefix) { return [prefix]; });
    return Promise.all(loads.map(function (load) {
      var url = load[0] ? data.idShards + load[0] + ".json" : data.ids;
      return fetchJSON(url).then(function (map) { idMaps.set(load[0], map); });
    })).then(function () {
      var found = [];
      ids.forEach(function (id) {
        var map = idMaps.get("") || idMaps.get(shardOf(id));
        var position = map && map[id];
        if (typeof position === "number" && position < total) found.push(position);
      });
      return Int32Array.from(new Set(found)).sort();
    });
  }

  function textMatches(text) {
    var key = fold(text);
    if (!textCache.has(key)) {
      textCache.set(key, loadPagefind().then(function (engine) {
        return engine.search(text);
      }).then(function (search) {
        return positionsOf(search.results.map(function (result) { return result.id; }));
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

  function highlight(k, words) {
    var key = words.join(" ");
    if (marked[k] === key) return;
    var card = cards[k];
    if (marked[k]) unmark(card);
    if (key) card.querySelectorAll(".event-title, .event-summary").forEach(function (part) { mark(part, words); });
    marked[k] = key;
  }

  function describe(state, count) {
    var parts = [];
    if (state.q) parts.push("“" + state.q + "”");
    FILTERS.forEach(function (name) { if (state[name]) parts.push(name + " " + state[name]); });
    if (state.from || state.to) parts.push("years " + (state.from || "…") + "–" + (state.to || "…"));
    var events = count === 1 ? "1 event" : count + " events";
    return (count ? events : "No events") + " of " + total + " match " + parts.join(", ") + ".";
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
    rows.forEach(function (row) { fragment.appendChild(listItem(row)); });
    moreList.appendChild(fragment);
    listed += rows.length;
    var left = missing.length - listed;
    moreCount.textContent = "Showing " + listed + " of " + missing.length + ".";
    moreButton.textContent = "Show " + Math.min(PAGE, left) + " more";
    moreButton.hidden = left <= 0;
  }

  function showAll() {
    items.forEach(function (item) { if (item.hidden) item.hidden = false; });
    sections.forEach(function (section) { if (section.hidden) section.hidden = false; });
    cards.forEach(function (card, k) { highlight(k, []); });
    countLater(restoreCounts);
    more.hidden = true;
    moreList.textContent = "";
    missing = [];
    listed = 0;
    statusLine.textContent = "";
    tools.classList.remove("is-filtering");
  }

  /* Work out the matches, fetch the rows the list shows first, then change the page in one go. */
  function render(state, text, f, mine) {
    if (!consistent) throw new Error("this page and its search data differ; reload it");
    var result = evaluate(state, text, f);
    var away = result.matches.filter(function (p) { return !inline[p]; });
    return rowsOf(away.slice(0, PAGE)).then(function (rows) {
      if (mine !== generation) return;
      countLater(f ? function () { updateCounts(f, result); } : restoreCounts);
      var words = state.q ? fold(state.q).split(/\s+/).filter(function (w) { return w.length > 1; }) : [];
      var shown = new Int32Array(sections.length);
      cards.forEach(function (card, k) {
        var hit = result.mask[positions[k]] === 1;
        if (items[k].hidden === hit) items[k].hidden = !hit;
        highlight(k, hit ? words : []);
        if (hit && sectionOf[k] >= 0) shown[sectionOf[k]]++;
      });
      sections.forEach(function (section, s) {
        if (section.hidden !== !shown[s]) section.hidden = !shown[s];
      });
      missing = away;
      listed = 0;
      moreList.textContent = "";
      appendRows(rows);
      more.hidden = missing.length === 0;
      statusLine.textContent = describe(state, result.matches.length);
      tools.classList.add("is-filtering");
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
    if (isEmpty(state)) { wantedFacets = false; showAll(); return Promise.resolve(); }
    var withFacets = isFiltering(state) || facets !== null || (panel && panel.open);
    wantedFacets = withFacets;
    if ((withFacets && !facets) || (state.q && !textDone.has(fold(state.q)))) statusLine.textContent = "Searching…";
    return Promise.all([withFacets ? loadFacets() : null, state.q ? textMatches(state.q) : null]).then(function (loaded) {
      if (mine === generation) return render(state, loaded[1], loaded[0], mine);
    }).catch(function (error) {
      if (mine === generation) statusLine.textContent = "Search is unavailable (" + error.message + "). Browse by tag, actor, place or year instead.";
    });
  }

  function commit() {
    clearTimeout(timer);  // this takes the whole form, typed text included
    var state = formState();
    var next = query(state);
    if (next !== location.search) history.pushState(null, "", location.pathname + next + location.hash);
    return apply(state);
  }

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

  form.addEventListener("submit", function (event) {
    event.preventDefault();
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
  window.addEventListener("popstate", function () {
    clearTimeout(timer);  // text typed but not yet searched gives way to the page stepped to
    apply(readState(location.search));
  });

  // Warm up while the reader decides: Pagefind when the search box has focus, the manifest when the
  // filters are shown; then the counts beside them catch up with a text query on screen, unless the
  // work on the state wanted by then (a filter picked meanwhile, Back) already uses the manifest.
  input.addEventListener("focus", function () { loadPagefind().catch(function () {}); }, { once: true });
  if (panel) {
    panel.addEventListener("toggle", function () {
      if (!panel.open || facets) return;
      loadFacets().then(function () {
        if (wanted && !isEmpty(wanted) && !wantedFacets) refresh();
      }).catch(function () {});
    });
  }

  var initial = readState(location.search);
  if (!isEmpty(initial)) apply(initial);
})();
