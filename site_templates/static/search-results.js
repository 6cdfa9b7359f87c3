/* The timeline's search (5 of 6): what the list shows. Matching events stay in the timeline itself
 * (others are hidden) and the year headings count what they show; the summary above the list
 * ("5 events, 2009–2022") says what is shown, and the live region announces it; after a change made
 * anywhere but by typing or by the overview's keys, the view moves to it if it is out of sight;
 * newest first or oldest first reorders the list; matches from years not on the page are listed
 * above the timeline, a hundred at a time, from the small files of data/list/ that hold them; and
 * the overview (overview.js) is told the matches ("chronicle:matches").
 * Loaded before search.js (data-scripts in _search.html), which runs it with the other parts; it
 * defines window.ChronicleSearch.results and does nothing until then.
 */
window.ChronicleSearch = window.ChronicleSearch || {};
window.ChronicleSearch.results = function (S) {
  "use strict";

  var data = S.data;
  var tools = S.tools;
  var results = S.results;
  var jump = S.jump;
  var jumpCount = document.getElementById("jump-count");
  var resultsCount = document.getElementById("results-count");
  var resultsYears = document.getElementById("results-years");
  var resultsWhat = S.resultsWhat;
  var statusLine = S.statusLine;
  var more = document.getElementById("search-more");
  var moreList = more.querySelector("ol");
  var moreCount = document.getElementById("search-more-count");
  var moreButton = more.querySelector("button");
  var timeline = document.querySelector(".timeline");
  var PAGE = 100;  // matches listed at a time
  var FILTERS = S.FILTERS;
  var total = S.total;
  var chunkSize = parseInt(data.listChunk, 10) || 100;
  var firstYear = S.firstYear;
  var lastYear = S.lastYear;
  var allYears = resultsYears.textContent;
  var fetchJSON = S.fetchJSON;

  // The cards on this page, their list items, year sections and positions in the timeline.
  var cards = S.cards;
  var items = cards.map(function (card) { return card.closest("li") || card; });
  var first = S.first;
  var positions = S.positions;
  var sections = Array.prototype.slice.call(document.querySelectorAll(".timeline section.year"));
  var sectionOf = cards.map(function (card) { return sections.indexOf(card.closest("section.year")); });
  var yearCounts = sections.map(function (section) { return section.querySelector(".year-count"); });
  var inline = new Uint8Array(total);
  positions.forEach(function (p) { if (p < total) inline[p] = 1; });
  var consistent = first >= 0 && first + cards.length === total;

  var listChunks = new Map();  // list file number -> promise of its rows
  var listRows = new Map();  // list file number -> its rows, once loaded
  var newest = false;  // the order the list is in now
  var missing = [];  // positions of matches not on the page, in the order shown
  var rowText = null;  // the text matches the list of them shows, with Pagefind's result for each
  var listed = 0;  // how many of them the list shows

  function plural(n, word) { return n + " " + word + (n === 1 ? "" : "s"); }

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
    if (!S.reveal) return;
    S.reveal = false;
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
        S.awaitExcerpt(item, { result: result, line: line, card: -1, reasons: [], words: [], tag: "" });
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
    cards.forEach(function (card, k) { S.highlight(k, [], ""); S.explain(k, false, state, null, []); });
    yearCounts.forEach(function (count) { count.textContent = plural(parseInt(count.dataset.total, 10), "event"); });
    S.countLater(S.restoreCounts);
    more.hidden = true;
    S.forgetRows();
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
    var result = S.evaluate(state, text && text.positions, f);
    var away = result.matches.filter(function (p) { return !inline[p]; });
    if (state.order === "newest") away.reverse();
    return rowsOf(away.slice(0, PAGE)).then(function (rows) {
      if (mine !== S.generation) return;
      S.countLater(f ? function () { S.updateCounts(f, result); } : S.restoreCounts);
      order(state);
      var words = state.q ? S.fold(state.q).split(/\s+/).filter(function (w) { return w.length > 1; }) : [];
      var shown = new Int32Array(sections.length);
      cards.forEach(function (card, k) {
        var hit = result.mask[positions[k]] === 1;
        if (items[k].hidden === hit) items[k].hidden = !hit;
        S.highlight(k, hit ? words : [], hit ? state.tag : "");
        S.explain(k, hit, state, text, words);
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
      S.forgetRows();
      rowText = text;
      appendRows(rows);
      more.hidden = missing.length === 0;
      summarise(state, result.matches.length, yearsOf(result.matches, f));
      told(result.matches, result.mask, state);
      revealResults();
    });
  }

  // More of the list of other matches, a hundred at a time.
  moreButton.addEventListener("click", function () {
    var mine = S.generation;
    var from = listed;
    moreButton.disabled = true;
    rowsOf(missing.slice(from, from + PAGE)).then(function (rows) {
      if (mine !== S.generation) return;
      appendRows(rows);
      var first = moreList.children[from];
      if (first) first.querySelector("a").focus();  // where the new matches start
    }).catch(function (error) {
      moreCount.textContent = "More matches could not be loaded (" + error.message + ").";
    }).then(function () {
      moreButton.disabled = false;
    });
  });

  S.revealResults = revealResults;
  S.told = told;
  S.showAll = showAll;
  S.render = render;
};
