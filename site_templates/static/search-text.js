/* The timeline's search (3 of 6): text search through Pagefind. Pagefind's script and index are
 * loaded on the first query (or when the search box first has focus), and the shards of
 * data/search-ids/ that a query's results need (or data/search-ids.json, the whole map, for a broad
 * query) map its results to timeline positions without fetching the events. Each query's matches
 * are kept: the positions, and Pagefind's result for each (whose fragment is the excerpt,
 * search-excerpts.js).
 * Loaded before search.js (data-scripts in _search.html), which runs it with the other parts; it
 * defines window.ChronicleSearch.text and does nothing until then.
 */
window.ChronicleSearch = window.ChronicleSearch || {};
window.ChronicleSearch.text = function (S) {
  "use strict";

  var data = S.data;
  var total = S.total;
  var fold = S.fold;
  var fetchJSON = S.fetchJSON;
  var idPrefix = parseInt(data.idPrefix, 10) || 1;
  var pagefindLoading = null;
  var idMaps = new Map();  // shard prefix (or "" for the whole map) -> {pagefind id: position}
  var textCache = new Map();  // folded query -> promise of its matches ({positions, results})
  var textDone = new Map();  // folded query -> its matches, once known

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
    // The whole map weighs what all the shards do: fetch it instead once a quarter of them are needed, or
    // more than 256 (a request each).
    var whole = needed.size > Math.min(256, Math.pow(16, idPrefix) / 4);
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

  S.loadPagefind = loadPagefind;
  S.textMatches = textMatches;
  S.textDone = textDone;
};
