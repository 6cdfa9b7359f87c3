/* The timeline's search (2 of 6): the filters (tag, actor, place, status, years), worked out over
 * data/manifest.json alone: for each tag, actor and place the positions of its events, and every
 * event's status and years (chronicle/site/facets.py). This file loads and decodes the manifest,
 * works out which events pass every filter (and the text query's matches, when there is one), and
 * writes beside each value of the filter menus how many events would match were it chosen.
 * Loaded before search.js (data-scripts in _search.html), which runs it with the other parts; it
 * defines window.ChronicleSearch.filters and does nothing until then.
 */
window.ChronicleSearch = window.ChronicleSearch || {};
window.ChronicleSearch.filters = function (S) {
  "use strict";

  var data = S.data;
  var form = S.form;
  var total = S.total;
  var FILTERS = S.FILTERS;
  var FACETS = { tag: "tags", actor: "actors", place: "places" };
  var CODE = { text: 1, tag: 2, actor: 3, place: 4, status: 5, years: 6 };  // which filter an event failed
  var fetchJSON = S.fetchJSON;
  var facetsLoading = null;
  var countGeneration = 0;
  var filters = form.querySelector(".filters") || form;

  var totals = new Map();  // each option's text as built: the counts of the whole timeline
  FILTERS.forEach(function (name) {
    Array.prototype.forEach.call(form.elements[name].options, function (option) { totals.set(option, option.textContent); });
  });

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
        S.facets = decoded;
        return decoded;
      }, function (error) {
        facetsLoading = null;
        throw error;
      });
    }
    return facetsLoading;
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

  S.loadFacets = loadFacets;
  S.evaluate = evaluate;
  S.updateCounts = updateCounts;
  S.restoreCounts = restoreCounts;
  S.countLater = countLater;
};
