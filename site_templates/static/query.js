/* The query string of a view of the timeline, in one place for every script that reads or writes one:
 * the timeline page's search (search.js), the widget (widget.js) and the "Embed this view" dialog
 * (embed-dialog.js).
 *
 * A view is what the site's shared URLs hold: q (words), tag, actor, place, status, from and to
 * (years), each one value, e.g. ?q=helicopter&tag=cjng&from=2009&to=2015. A widget's address also
 * takes ids (event ids, comma-separated) and theme (light, dark or auto).
 *
 * A plain script defining window.ChronicleQuery; under Node (tests/test_query.py) a module.
 * No dependency, nothing fetched.
 */
(function (root, make) {
  "use strict";
  var api = make();
  if (typeof module === "object" && module.exports) module.exports = api;
  else root.ChronicleQuery = api;
})(typeof self !== "undefined" ? self : this, function () {
  "use strict";

  var FIELDS = ["q", "tag", "actor", "place", "status", "from", "to"];
  var FILTERS = ["tag", "actor", "place", "status", "from", "to"];
  var FACETS = ["tag", "actor", "place"];
  var THEMES = ["auto", "light", "dark"];
  var MAX_IDS = 100;

  /* The view in a query string ("?q=x&tag=y" or "q=x"): every field, "" when absent, trimmed. */
  function parse(search) {
    var params = new URLSearchParams(search || "");
    var state = {};
    FIELDS.forEach(function (name) { state[name] = (params.get(name) || "").trim(); });
    return state;
  }

  /* A widget's view: parse() plus ids (a list, duplicates and blanks dropped, at most 100) and theme. */
  function parseEmbed(search) {
    var params = new URLSearchParams(search || "");
    var state = parse(search);
    var ids = [];
    (params.get("ids") || "").split(",").forEach(function (id) {
      id = id.trim();
      if (id && ids.indexOf(id) < 0 && ids.length < MAX_IDS) ids.push(id);
    });
    state.ids = ids;
    var theme = (params.get("theme") || "").trim().toLowerCase();
    state.theme = THEMES.indexOf(theme) >= 0 ? theme : "auto";
    return state;
  }

  /* The query string of a view, fields in a fixed order ("" for the whole timeline); with embed,
     also ids and a theme other than auto. */
  function toSearch(state, embed) {
    var params = new URLSearchParams();
    FIELDS.forEach(function (name) { if (state[name]) params.set(name, state[name]); });
    if (embed && state.ids && state.ids.length) params.set("ids", state.ids.join(","));
    if (embed && state.theme && state.theme !== "auto") params.set("theme", state.theme);
    var text = params.toString();
    return text ? "?" + text : "";
  }

  function isEmpty(state) {
    return FIELDS.every(function (name) { return !state[name]; }) && !(state.ids && state.ids.length);
  }

  function isFiltering(state) {
    return FILTERS.some(function (name) { return state[name]; });
  }

  /* A year field as a number, or null: as the timeline reads it (parseInt). */
  function year(value) {
    var n = parseInt(value, 10);
    return isNaN(n) ? null : n;
  }

  /* Text folded for matching: accents dropped, lower case ("Michoacán" -> "michoacan"). */
  function fold(text) {
    return String(text).normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  /* The words of a text query, folded. */
  function words(q) {
    return fold(q || "").split(/\s+/).filter(Boolean);
  }

  /* Does the text hold every word, each at the start of one of its words? */
  function hasWords(text, list) {
    var folded = fold(text);
    return list.every(function (word) {
      for (var at = folded.indexOf(word); at >= 0; at = folded.indexOf(word, at + 1)) {
        if (at === 0 || !/[\p{L}\p{N}]/u.test(folded.charAt(at - 1))) return true;
      }
      return false;
    });
  }

  /* The one facet value or year a view is, when it is nothing else: {kind: "tag", value: "cjng"},
     {kind: "year", value: "2015"} for ?from=2015&to=2015; otherwise null. Such views have a page of
     their own (embed/tags/cjng/, embed/years/2015/), complete without JavaScript. */
  function single(state) {
    var set = FIELDS.filter(function (name) { return state[name]; });
    if (state.ids && state.ids.length) return null;
    if (set.length === 1 && FACETS.indexOf(set[0]) >= 0) return { kind: set[0], value: state[set[0]] };
    var from = year(state.from);
    if (set.length === 2 && from !== null && String(from) === state.from && state.to === state.from) {
      return { kind: "year", value: state.from };
    }
    return null;
  }

  /* A view's title, as a widget shows it: "Events tagged cjng", "Confirmed events in Tapalpa, Jalisco,
     from 2009 to 2015". The pages built for one tag, actor, place or year say the same
     (chronicle/site/embed.py, TITLES). */
  function title(state) {
    var selected = state.ids && state.ids.length;
    var head = state.status ? state.status.charAt(0).toUpperCase() + state.status.slice(1) + " events" : "Events";
    if (selected) head = "Selected " + head.toLowerCase();
    var parts = [];
    if (state.q) parts.push("matching “" + state.q + "”");
    if (state.tag) parts.push("tagged " + state.tag);
    if (state.actor) parts.push("involving " + state.actor);
    if (state.place) parts.push("in " + state.place);
    var from = year(state.from);
    var to = year(state.to);
    if (from !== null && to !== null) parts.push(from === to ? "of " + from : "from " + from + " to " + to);
    else if (from !== null) parts.push("from " + from + " on");
    else if (to !== null) parts.push("up to " + to);
    if (!parts.length) return selected || state.status ? head : "All events";
    return head + " " + parts.join(", ");
  }

  return {
    FIELDS: FIELDS,
    FILTERS: FILTERS,
    THEMES: THEMES,
    MAX_IDS: MAX_IDS,
    parse: parse,
    parseEmbed: parseEmbed,
    toSearch: toSearch,
    isEmpty: isEmpty,
    isFiltering: isFiltering,
    year: year,
    fold: fold,
    words: words,
    hasWords: hasWords,
    single: single,
    title: title
  };
});
