/* The widget: what runs inside the frame that an article shows (the pages under embed/).
 *
 * - Theme: ?theme=light or ?theme=dark sets the colours before the page is drawn (otherwise the
 *   reader's own setting is followed).
 * - Height: the widget tells the page around it how tall it is, on load, whenever its size changes
 *   (a narrower frame, an event opened) and when that page asks, so that /embed.js there can give
 *   the frame exactly that height. The messages, and nothing else, are
 *     to the parent:   {type: "chronicle-embed", version: 1, height: <CSS pixels, an integer>}
 *     from the parent: {type: "chronicle-embed", version: 1, request: "height"}
 *   A message of any other shape, or from any window but the parent, is ignored. The widget reads
 *   nothing of the page around it and changes nothing there.
 * - embed/?query: the timeline narrowed to the view in the query (query.js), from the data scripts
 *   of embed/data/ (chronicle/site/embed_data.py), loading only those the view needs, and listed as
 *   the pages of one tag, actor, place or year list theirs. Those pages, and an event's, are
 *   complete without this script.
 *
 * Data come as scripts calling chronicleEmbedData(name, value), not as JSON fetched: in the sandbox
 * the snippets recommend, the frame's origin is opaque and a fetch of its own site would be refused.
 */
(function () {
  "use strict";

  var Q = window.ChronicleQuery;
  var root = document.documentElement;
  var view = Q.parseEmbed(location.search);
  if (view.theme !== "auto") root.setAttribute("data-theme", view.theme);
  root.classList.add("js");

  var TYPE = "chronicle-embed";
  var VERSION = 1;
  var TEXT_BATCH = 4;  // text files searched at a time, newest first
  var parent = window.parent !== window ? window.parent : null;
  var told = -1;

  function height() {
    return Math.ceil(root.getBoundingClientRect().height);
  }

  /* Tell the parent the height: always when asked or on load, otherwise only when it changed. */
  function tell(always) {
    if (!parent) return;
    var now = height();
    if (!always && now === told) return;
    told = now;
    parent.postMessage({ type: TYPE, version: VERSION, height: now }, "*");
  }

  function isRequest(data) {
    return data !== null && typeof data === "object" && !Array.isArray(data) && Object.keys(data).length === 3 &&
      data.type === TYPE && data.version === VERSION && data.request === "height";
  }

  window.addEventListener("message", function (event) {
    if (parent && event.source === parent && isRequest(event.data)) tell(true);
  });
  window.addEventListener("resize", function () { tell(false); });
  window.addEventListener("load", function () { tell(true); });
  document.addEventListener("toggle", function () { tell(false); }, true);  // an event or a quote opened or closed
  if (window.ResizeObserver) new ResizeObserver(function () { tell(false); }).observe(root);

  /* --- the data scripts ----------------------------------------------------------------------- */

  var waiting = {};
  var loading = {};
  window.chronicleEmbedData = function (name, value) {
    var wanted = waiting[name];
    if (!wanted) return;
    delete waiting[name];
    wanted(value);
  };

  function load(folder, name) {
    if (!loading[name]) {
      loading[name] = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        waiting[name] = resolve;
        script.src = folder + name + ".js";
        script.onerror = function () {
          delete waiting[name];
          delete loading[name];
          reject(new Error(name + ".js could not be loaded"));
        };
        script.onload = function () {
          if (waiting[name]) {
            delete waiting[name];
            reject(new Error(name + ".js held no data"));
          }
        };
        document.head.appendChild(script);
      });
    }
    return loading[name];
  }

  /* --- which events a view selects -------------------------------------------------------------- */

  function ungap(gaps) {
    var out = new Int32Array(gaps.length);
    for (var i = 0, sum = 0; i < gaps.length; i++) out[i] = sum += gaps[i];
    return out;
  }

  /* The 32-bit FNV-1a hash of an id's UTF-16 code units, modulo the number of id files: the file
     holding it (id_file in chronicle/site/embed_data.py). */
  function idFile(id, files) {
    var hash = 0x811c9dc5;
    for (var i = 0; i < id.length; i++) {
      var unit = id.charCodeAt(i);
      hash = Math.imul(hash ^ (unit & 0xff), 0x01000193) >>> 0;
      hash = Math.imul(hash ^ (unit >>> 8), 0x01000193) >>> 0;
    }
    return hash % files;
  }

  /* Every event the view's filters and ids allow (the text query aside), as a sorted list of positions.
     Only the data the view needs are loaded: the events of its tag, actor and place, the statuses if
     it names one, the years if it has some, the files of its ids. */
  function allowed(state, count, idFiles, read) {
    var keep = new Uint8Array(count).fill(1);
    function only(positions) {
      var mark = new Uint8Array(count);
      positions.forEach(function (p) { if (p < count) mark[p] = 1; });
      for (var k = 0; k < count; k++) keep[k] &= mark[k];
    }
    var steps = [];
    if (state.ids.length) {
      var files = Array.from(new Set(state.ids.map(function (id) { return idFile(id, idFiles); })));
      steps.push(Promise.all(files.map(function (n) { return read("ids/" + n); })).then(function (maps) {
        var where = Object.assign.apply(null, [{}].concat(maps));
        only(state.ids.filter(function (id) { return Object.prototype.hasOwnProperty.call(where, id); }).map(function (id) { return where[id]; }));
      }));
    }
    var facets = [["tag", "tags"], ["actor", "actors"], ["place", "places"]].filter(function (pair) { return state[pair[0]]; });
    if (facets.length || state.status) {
      steps.push(read("names").then(function (names) {
        if (names.count !== count) throw new Error("the data do not match this page; reload it");
        var loads = facets.map(function (pair) {
          var n = names[pair[1]].indexOf(state[pair[0]]);
          return n < 0 ? Promise.resolve(null) : read("postings/" + pair[1] + "/" + n);
        });
        if (state.status) loads.push(read("status"));
        return Promise.all(loads).then(function (got) {
          facets.forEach(function (pair, k) { only(got[k] ? Array.from(ungap(got[k])) : []); });
          if (state.status) {
            var code = String(names.statuses.indexOf(state.status));
            var statuses = got[facets.length];
            for (var i = 0; i < count; i++) if (statuses.charAt(i) !== code) keep[i] = 0;
          }
        });
      }));
    }
    var from = Q.year(state.from);
    var to = Q.year(state.to);
    if (from !== null || to !== null) {
      steps.push(read("years").then(function (years) {
        var starts = ungap(years.from);
        for (var i = 0; i < count; i++) {
          var ends = starts[i] + years.span[i];
          if ((from !== null && ends < from) || (to !== null && starts[i] > to)) keep[i] = 0;
        }
      }));
    }
    return Promise.all(steps).then(function () {
      var positions = [];
      for (var i = 0; i < count; i++) if (keep[i]) positions.push(i);
      return positions;
    });
  }

  /* The events matching the text query among those allowed, searched newest first until the latest
     `limit` are known: {positions: [...] in time order, complete: whether every match is known}. */
  function searchText(q, allowedPositions, chunk, limit, read) {
    var words = Q.words(q);
    var byChunk = new Map();
    allowedPositions.forEach(function (p) {
      var n = Math.floor(p / chunk);
      if (!byChunk.has(n)) byChunk.set(n, []);
      byChunk.get(n).push(p);
    });
    var chunks = Array.from(byChunk.keys()).sort(function (a, b) { return b - a; });
    var found = [];
    var next = 0;
    function step() {
      if (next >= chunks.length || found.length >= limit) {
        return { positions: found.reverse(), complete: next >= chunks.length };
      }
      var batch = chunks.slice(next, next + TEXT_BATCH);
      next += batch.length;
      return Promise.all(batch.map(function (n) { return read("text/" + n); })).then(function (texts) {
        batch.forEach(function (n, k) {
          byChunk.get(n).slice().reverse().forEach(function (p) {
            if (Q.hasWords(texts[k][p - n * chunk], words)) found.push(p);
          });
        });
        return step();
      });
    }
    return step();
  }

  /* --- the list ----------------------------------------------------------------------------------- */

  function element(tag, className, text) {
    var made = document.createElement(tag);
    if (className) made.className = className;
    if (text !== undefined) made.textContent = text;
    return made;
  }

  /* An event as render_widget_row (site_templates/_macros.html) writes it. row: [id, title, date, status, summary, sources]. */
  function rowItem(row, base) {
    var status = element("span", "w-status w-status-" + row[3]);
    status.append(element("span", "visually-hidden", "Status: "), row[3]);
    var summary = element("summary");
    summary.append(element("span", "w-date", row[2]), " ", element("span", "w-event-title", row[1]), " ", status);
    var link = element("a", "", row[5] === 1 ? "The event and its source" : "The event and its " + row[5] + " sources");
    link.href = base + "events/" + row[0] + "/";
    link.rel = "noopener";
    var more = element("div", "w-more");
    var linkLine = element("p");
    linkLine.append(link);
    more.append(element("p", "w-summary", row[4]), linkLine);
    var details = element("details");
    details.append(summary, more);
    var item = element("li", "w-event");
    item.append(details);
    return item;
  }

  function countText(shown, total, complete) {
    if (!shown) return "No events match this view.";
    if (!complete) return "The latest " + shown + " matching events";
    if (total > shown) return "The latest " + shown + " of " + total + " events";
    return shown === 1 ? "1 event" : shown + " events";
  }

  function narrow(widget) {
    var data = widget.dataset;
    var folder = data.data;
    var count = parseInt(data.count, 10) || 0;
    var chunk = parseInt(data.textChunk, 10) || 100;
    var rowChunk = parseInt(data.rowChunk, 10) || 4;
    var limit = parseInt(data.limit, 10) || 20;
    var read = function (name) { return load(folder, name); };
    var heading = document.getElementById("w-title");
    var counted = document.getElementById("w-count");
    var list = document.getElementById("w-events");
    var title = Q.title(view);
    var site = widget.querySelector(".w-site");
    heading.textContent = title;
    document.title = title + (site ? " · " + site.textContent.trim() : "");
    document.getElementById("w-full").href = data.base + Q.toSearch(view);
    counted.textContent = "Loading…";
    list.setAttribute("aria-busy", "true");
    return allowed(view, count, parseInt(data.idFiles, 10) || 1, read).then(function (positions) {
      return view.q ? searchText(view.q, positions, chunk, limit, read) : { positions: positions, complete: true };
    }).then(function (found) {
      var shown = found.positions.slice(-limit);
      var files = Array.from(new Set(shown.map(function (p) { return Math.floor(p / rowChunk); })));
      return Promise.all(files.map(function (n) { return read("rows/" + n); })).then(function (loaded) {
        var fragment = document.createDocumentFragment();
        shown.forEach(function (p) {
          var row = loaded[files.indexOf(Math.floor(p / rowChunk))][p % rowChunk];
          fragment.append(rowItem(row, data.base));
        });
        list.replaceChildren(fragment);
        counted.textContent = countText(shown.length, found.positions.length, found.complete);
      });
    }).catch(function (error) {
      var message = element("p", "w-message", "The events could not be loaded (" + error.message + "). ");
      var link = element("a", "", "See them on the full timeline");
      link.href = data.base + Q.toSearch(view);
      link.rel = "noopener";
      message.append(link, ".");
      counted.textContent = "";
      list.replaceChildren();
      list.before(message);
    }).then(function () {
      list.removeAttribute("aria-busy");
    });
  }

  function start() {
    var widget = document.getElementById("widget");
    if (widget && widget.getAttribute("data-widget") === "query") narrow(widget).then(function () { tell(true); });
    tell(true);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
