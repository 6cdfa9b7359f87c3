/* The overview of the timeline page as the search's range selector, and the strip that follows
 * the reader down the page. The page is complete without this file (each year is a link to its
 * section); the search's scripts (search.js and its parts) do the searching. The two talk through
 * two events on the document:
 *   - "chronicle:matches" (from the search, after every change it shows): detail.matches, the
 *     positions of the matching events in timeline order (null: no search, every event), and
 *     detail.mask (1 per matching position), detail.from and detail.to (the years asked for);
 *   - "chronicle:range" (from here, when the reader picks years): detail.from, detail.to (text,
 *     "" for no bound) and detail.later (a key held down: the search waits for a pause).
 * The axis:
 *   - draws the matches: a solid bar over the faded bar of each year (its height quantised as the
 *     page's bars are), span lines of events that do not match faded, each year's label for screen
 *     readers saying how many of its events match. The counts come from data-starts, the position
 *     of each year's first event (events are in time order), so no list of every event is needed:
 *     a year is one node however many events it has;
 *   - picks years: a listbox (one tab stop) of the years with events. Tap or click a year for that
 *     year alone (again to show every year), a decade's label for the decade, drag across years
 *     (mouse or touch; on touch, sideways first, as up and down scrolls the page); arrow keys move,
 *     Enter or Space picks, Shift with an arrow, Home or End extends the range, Escape or the
 *     "All years" button shows every year;
 *   - names a year on hover and focus: its events, the matches, the long events under way.
 * The strip (a few dozen pixels, fixed at the top once the overview has scrolled away) shows the
 * same bars, marks the year being read, and jumps to a year on tap, or with the arrow keys (a slider):
 * overview-strip.js.
 * And the search's scripts on demand (search-loader.js): they are loaded when the reader first reaches
 * for the search, or at once when the address asks for a search, so that the first view does not
 * carry them. What the reader did before they ran (a button pressed, years picked) is done once they
 * have ("chronicle:search-ready").
 * The parts are plain scripts loaded before this one (defer, in order), each defining a function on
 * window.ChronicleOverview and doing nothing more; this file runs them.
 */
(function () {
  "use strict";

  var axis = document.querySelector(".axis-steer");
  var parts = window.ChronicleOverview || {};
  if (!axis || !window.CustomEvent || !window.IntersectionObserver || !window.requestAnimationFrame) return;
  if (!parts.searchLoader || !parts.strip) return;  // a part did not come: the page without the overview's script

  var tools = document.getElementById("timeline-tools");
  var whenSearch = parts.searchLoader();  // search-loader.js

  var LEVELS = 8;  // bar heights are quantised to eighths (chronicle/site/browse.py: LEVELS)
  var first = parseInt(axis.dataset.first, 10);
  var starts = axis.dataset.starts.split(" ").map(Number);
  var most = parseInt(axis.dataset.most, 10) || 1;
  var list = axis.querySelector(".decades");
  var cells = Array.prototype.slice.call(axis.querySelectorAll("li.axis-year[data-year]"));
  var cellOf = {};  // year -> its cell
  cells.forEach(function (cell) { cellOf[cell.dataset.year] = cell; });
  var options = Array.prototype.slice.call(axis.querySelectorAll(".axis-year > a"));
  var optionYears = options.map(function (a) { return parseInt(a.dataset.year, 10); });
  var reset = axis.querySelector(".axis-reset");
  var hint = axis.querySelector(".axis-hint");
  var years = starts.length - 1;
  var counts = new Int32Array(years);  // events of each year matching now (all of them without a search)
  var totals = new Int32Array(years);
  for (var k = 0; k < years; k++) totals[k] = counts[k] = starts[k + 1] - starts[k];
  var filtering = false;
  var selection = null;  // {from, to}: the years picked, as the URL has them
  var anchor = null;  // the year a range is extended from
  var current = 0;  // the option with the tab stop

  // ---- the listbox --------------------------------------------------------------------------
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-multiselectable", "true");
  list.setAttribute("aria-labelledby", "axis-h");
  if (hint) list.setAttribute("aria-describedby", hint.id);
  Array.prototype.forEach.call(axis.querySelectorAll(".decade"), function (decade) {
    decade.setAttribute("role", "none");
    var years = decade.querySelector(".years");
    years.setAttribute("role", "group");
    years.setAttribute("aria-label", decade.querySelector(".decade-label").textContent);
  });
  Array.prototype.forEach.call(axis.querySelectorAll(".axis-year"), function (item) { item.setAttribute("role", "none"); });
  options.forEach(function (option, i) {
    option.setAttribute("role", "option");
    option.setAttribute("aria-selected", "false");
    option.tabIndex = i === 0 ? 0 : -1;
    option.addEventListener("focus", function () { current = i; roving(); showTip(cellOf[optionYears[i]]); });
    option.addEventListener("blur", hideTip);
  });

  function roving() {
    options.forEach(function (option, i) { option.tabIndex = i === current ? 0 : -1; });
  }

  function focusAt(i) {
    current = Math.max(0, Math.min(options.length - 1, i));
    roving();
    options[current].focus();
  }

  function yearIndex(year) { return year - first; }

  /* The range as the reader sees it: picked years highlighted, the reset button shown. */
  function showSelection(range) {
    cells.forEach(function (cell) {
      var year = parseInt(cell.dataset.year, 10);
      var inside = !!range && year >= range.from && year <= range.to;
      cell.classList.toggle("in-range", inside);
      cell.classList.toggle("range-start", inside && year === range.from);
      cell.classList.toggle("range-end", inside && year === range.to);
    });
    options.forEach(function (option, i) {
      var inside = !!range && optionYears[i] >= range.from && optionYears[i] <= range.to;
      option.setAttribute("aria-selected", inside ? "true" : "false");
    });
    axis.classList.toggle("has-range", !!range);
    if (reset) reset.classList.toggle("is-shown", !!range);
    strip.paint();
  }

  /* Ask the search for these years; null for every year. byKey: picked with the overview's keys. */
  function pick(range, later, byKey) {
    selection = range;
    showSelection(range);
    var detail = { from: range ? String(range.from) : "", to: range ? String(range.to) : "", later: !!later, byKey: !!byKey };
    whenSearch(function () { document.dispatchEvent(new CustomEvent("chronicle:range", { detail: detail })); });
  }

  function span(a, b) { return { from: Math.min(a, b), to: Math.max(a, b) }; }

  function toggleYear(year, byKey) {
    anchor = year;
    pick(selection && selection.from === year && selection.to === year ? null : { from: year, to: year }, false, byKey);
  }

  list.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    var steps = { ArrowLeft: -1, ArrowUp: -1, ArrowRight: 1, ArrowDown: 1 };
    var key = event.key;
    var to = current;
    if (key in steps) to = current + steps[key];
    else if (key === "Home") to = 0;
    else if (key === "End") to = options.length - 1;
    else if (key === " " || key === "Enter") { toggleYear(optionYears[current], true); event.preventDefault(); return; }
    else if (key === "Escape" && selection) { anchor = null; pick(null, false, true); event.preventDefault(); return; }
    else return;
    event.preventDefault();
    if (event.shiftKey && anchor === null) anchor = selection ? (optionYears[current] === selection.from ? selection.to : selection.from) : optionYears[current];
    focusAt(to);
    if (event.shiftKey) {
      pick(span(anchor, optionYears[current]), true, true);
    }
  });

  // ---- pointer: tap, drag ---------------------------------------------------------------------
  var drag = null;
  var dragged = false;  // a drag just ended: the click it ends with picks nothing more

  function yearAt(x, y) {
    var hit = document.elementFromPoint(x, y);
    var cell = hit && hit.closest("li.axis-year[data-year]");
    return cell && axis.contains(cell) ? parseInt(cell.dataset.year, 10) : null;
  }

  list.addEventListener("pointerdown", function (event) {
    if (event.button !== 0 || !event.isPrimary) return;
    var year = yearAt(event.clientX, event.clientY);
    if (year === null) return;
    drag = { start: year, end: year, id: event.pointerId, moved: false };
    if (event.pointerType === "mouse") event.preventDefault();  // no text selection; focus is moved below
  });
  list.addEventListener("pointermove", function (event) {
    if (!drag || event.pointerId !== drag.id) return;
    var year = yearAt(event.clientX, event.clientY);
    if (year === null || year === drag.end) return;
    if (!drag.moved) {
      drag.moved = true;
      try { list.setPointerCapture(drag.id); } catch (e) { /* the pointer has gone */ }
    }
    drag.end = year;
    showSelection(span(drag.start, drag.end));
    showTip(cellOf[year]);
  });
  function endDrag(event, cancelled) {
    if (!drag || event.pointerId !== drag.id) return;
    var done = drag;
    drag = null;
    hideTip();
    if (!done.moved) return;  // a tap: the click that follows picks
    dragged = true;
    setTimeout(function () { dragged = false; }, 0);
    if (cancelled) { showSelection(selection); return; }
    anchor = done.start;
    pick(span(done.start, done.end));
  }
  list.addEventListener("pointerup", function (event) { endDrag(event, false); });
  list.addEventListener("pointercancel", function (event) { endDrag(event, true); });

  // A click is a tap, a mouse click, or a screen reader activating an option.
  axis.addEventListener("click", function (event) {
    var option = event.target.closest("a[role=option]");
    var cell = event.target.closest("li.axis-year[data-year]");
    var decade = event.target.closest(".decade-label");
    if (option) event.preventDefault();
    if (dragged) return;
    if (decade) {
      var start = parseInt(decade.dataset.decade, 10);
      anchor = null;
      pick(selection && selection.from === Math.max(start, first) && selection.to === Math.min(start + 9, first + years - 1)
        ? null : { from: Math.max(start, first), to: Math.min(start + 9, first + years - 1) });
    } else if (cell && cell.querySelector("a")) {
      var year = parseInt(cell.dataset.year, 10);
      var i = optionYears.indexOf(year);
      if (i >= 0) { current = i; roving(); }
      toggleYear(year);
    }
  });
  if (reset) reset.addEventListener("click", function () { anchor = null; pick(null); });

  // ---- the matches ---------------------------------------------------------------------------
  var matchBars = cells.map(function (cell) {
    var col = cell.querySelector(".col");
    var bar = document.createElement("span");
    bar.className = "bar bar-match";
    col.appendChild(bar);
    return bar;
  });
  var labels = cells.map(function (cell) { return cell.querySelector(".axis-count"); });
  // The span lines: each lane's segments, year by year, and the event each belongs to.
  var segments = [];
  (function () {
    var lanes = [];
    cells.forEach(function (cell) {
      Array.prototype.forEach.call(cell.querySelectorAll(".seg"), function (seg, lane) {
        if (seg.dataset.p) lanes[lane] = { position: parseInt(seg.dataset.p, 10), title: "" };
        if (seg.classList.contains("on") && lanes[lane]) segments.push({ element: seg, span: lanes[lane], year: cell.dataset.year });
        if (seg.classList.contains("seg-end") || seg.classList.contains("seg-open")) lanes[lane] = null;
      });
    });
  })();

  function level(count) { return count ? Math.ceil(count * LEVELS / most) / LEVELS : 0; }

  function plural(n, word) { return n + " " + word + (n === 1 ? "" : "s"); }

  function showMatches(detail) {
    var matches = detail.matches;
    filtering = matches !== null;
    counts.fill(0);
    if (!filtering) counts.set(totals);
    else {
      var y = 0;
      for (var i = 0; i < matches.length; i++) {
        var p = matches[i];
        while (y < years - 1 && p >= starts[y + 1]) y++;
        counts[y]++;
      }
    }
    axis.classList.toggle("is-filtering", filtering);
    cells.forEach(function (cell, i) {
      var k = yearIndex(parseInt(cell.dataset.year, 10));
      var n = counts[k];
      cell.classList.toggle("no-match", filtering && !n);
      matchBars[i].style.transform = "scaleY(" + (filtering ? level(n) : 0) + ")";
      if (labels[i]) {
        var text = filtering ? n + " of " + plural(totals[k], "event") + " match" : plural(totals[k], "event");
        if (labels[i].textContent !== text) labels[i].textContent = text;
      }
    });
    segments.forEach(function (seg) {
      seg.element.classList.toggle("seg-faded", filtering && !(detail.mask && detail.mask[seg.span.position]));
    });
    var from = parseInt(detail.from, 10);
    var to = parseInt(detail.to, 10);
    if (!isNaN(from) || !isNaN(to)) {
      selection = { from: isNaN(from) ? first : from, to: isNaN(to) ? first + years - 1 : to };
    } else selection = null;
    if (!drag) showSelection(selection);
    strip.paint();
  }
  document.addEventListener("chronicle:matches", function (event) { showMatches(event.detail); });

  // ---- the label shown on hover and focus ----------------------------------------------------------

  /* The titles of the long events under way: from their cards on the page, else from the list files
     (data/list/, which the search reads too), fetched when first named. Kept out of the page's HTML. */
  var cards = Array.prototype.slice.call(document.querySelectorAll(".timeline .event"));  // timeline order, as built
  var firstCard = tools ? parseInt(tools.dataset.first, 10) : 0;
  var lists = new Map();
  function titleOf(span) {
    if (span.title) return Promise.resolve(span.title);
    var card = cards[span.position - firstCard];
    if (card) {
      span.title = card.querySelector(".event-title").textContent.trim() + " (" + card.querySelector(".event-date").textContent.trim() + ")";
      return Promise.resolve(span.title);
    }
    if (!tools || !window.fetch) return Promise.resolve("");
    var chunk = parseInt(tools.dataset.listChunk, 10) || 100;
    var n = Math.floor(span.position / chunk);
    if (!lists.has(n)) {
      lists.set(n, fetch(tools.dataset.list + n + ".json").then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      }).catch(function () { lists.delete(n); return []; }));
    }
    return lists.get(n).then(function (rows) {
      var row = rows[span.position % chunk];
      if (row) span.title = row[1] + " (" + row[2] + ")";
      return span.title;
    });
  }

  var tip = document.createElement("p");
  tip.className = "axis-tip";
  tip.setAttribute("aria-hidden", "true");  // screen readers hear the option's own name
  tip.hidden = true;
  axis.appendChild(tip);

  function showTip(cell) {
    if (!cell) return;
    var year = parseInt(cell.dataset.year, 10);
    var k = yearIndex(year);
    var head = year + ": " + (filtering ? counts[k] + " of " + plural(totals[k], "event") + " match" : plural(totals[k], "event"));
    var spans = segments.filter(function (seg) { return seg.year === cell.dataset.year; }).map(function (seg) { return seg.span; });
    tip.textContent = "";
    var part = document.createElement("span");
    part.className = "tip-year";
    part.textContent = head;
    tip.appendChild(part);
    var shown = tip.shownFor = cell;
    spans.forEach(function (span) {
      var line = document.createElement("span");
      line.className = "tip-span";
      line.textContent = "Under way: " + (span.title || "…");
      tip.appendChild(line);
      if (!span.title) titleOf(span).then(function (title) { if (tip.shownFor === shown) line.textContent = "Under way: " + title; });
    });
    tip.hidden = false;
    var box = axis.getBoundingClientRect();
    var at = cell.getBoundingClientRect();
    var width = tip.offsetWidth;
    var left = Math.max(4, Math.min(box.width - width - 4, at.left - box.left + at.width / 2 - width / 2));
    tip.style.left = left + "px";
    tip.style.top = (at.bottom - box.top + 6) + "px";  // below the year: the controls above stay in sight
  }

  function hideTip() { tip.hidden = true; tip.shownFor = null; }

  axis.addEventListener("pointerover", function (event) {
    if (event.pointerType !== "mouse" || drag) return;
    var cell = event.target.closest("li.axis-year[data-year]");
    if (cell && axis.contains(cell)) showTip(cell);
  });
  list.addEventListener("pointerleave", function () {
    if (!drag && !list.contains(document.activeElement)) hideTip();
  });
  // ---- the strip (overview-strip.js) ----------------------------------------------------------------
  var strip = parts.strip({
    axis: axis,
    first: first,
    years: years,
    counts: counts,
    totals: totals,
    level: level,
    plural: plural,
    filtering: function () { return filtering; },
    selection: function () { return selection; },
  });

  showSelection(null);
  strip.locate();
})();
