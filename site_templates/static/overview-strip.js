/* The strip of the timeline page's overview: a few dozen pixels, fixed at the top once the overview
 * has scrolled away, it shows the same bars (the matches over the faded bars of every event while
 * there is a search), marks the year being read and the years picked, and jumps to a year on tap,
 * or with the arrow keys (a slider).
 * Loaded with the page before overview.js, which runs it (window.ChronicleOverview.strip) with what
 * they share (O: the axis, its years and counts); it returns the strip's paint() and locate().
 */
window.ChronicleOverview = window.ChronicleOverview || {};
window.ChronicleOverview.strip = function (O) {
  "use strict";

  var axis = O.axis;
  var first = O.first;
  var years = O.years;
  var counts = O.counts;  // events of each year matching now (all of them without a search)
  var totals = O.totals;
  var level = O.level;
  var plural = O.plural;

  var element = document.createElement("div");
  element.className = "axis-strip";
  element.setAttribute("role", "slider");
  element.setAttribute("aria-label", "Where you are in the timeline; pick a year to go to it");
  element.setAttribute("aria-valuemin", String(first));
  element.setAttribute("aria-valuemax", String(first + years - 1));
  element.tabIndex = 0;
  var label = document.createElement("span");
  label.className = "strip-year";
  label.setAttribute("aria-hidden", "true");
  var bars = document.createElement("span");
  bars.className = "strip-bars";
  bars.setAttribute("aria-hidden", "true");
  var columns = [];
  for (var k = 0; k < years; k++) {
    var column = document.createElement("span");
    var bar = document.createElement("i");
    var all = document.createElement("i");  // the year's events, faded behind its matches
    column.append(bar, all);
    bars.appendChild(column);
    columns.push({ column: column, bar: bar, all: all });
  }
  element.append(label, bars);
  axis.parentNode.insertBefore(element, axis.nextSibling);

  var here = null;  // the year being read
  var stuck = false;
  var scheduled = false;

  function shownSections() {
    return Array.prototype.filter.call(document.querySelectorAll(".timeline section.year"), function (s) { return !s.hidden; });
  }

  function sectionYear(section) { return parseInt(section.id.slice(1), 10); }

  function paint() {
    var filtering = O.filtering();
    var selection = O.selection();
    for (var k = 0; k < years; k++) {
      var c = columns[k];
      c.bar.style.transform = "scaleY(" + level(filtering ? counts[k] : totals[k]) + ")";
      c.all.style.transform = "scaleY(" + (filtering ? level(totals[k]) : 0) + ")";
      c.column.classList.toggle("is-here", here === first + k);
      c.column.classList.toggle("in-range", !!selection && first + k >= selection.from && first + k <= selection.to);
    }
    label.textContent = here === null ? "" : String(here);
    if (here !== null) {
      element.setAttribute("aria-valuenow", String(here));
      element.setAttribute("aria-valuetext", here + ": " + plural(filtering ? counts[here - first] : totals[here - first], "event") + (filtering ? " matching" : ""));
    } else {  // above the list: at its start
      element.setAttribute("aria-valuenow", String(first));
      element.setAttribute("aria-valuetext", "Above the list of events");
    }
  }

  function locate() {
    scheduled = false;
    var line = element.offsetHeight + 24;
    var found = null;
    shownSections().forEach(function (section) {
      if (section.getBoundingClientRect().top <= line) found = section;
    });
    var year = found && found.getBoundingClientRect().bottom > line ? sectionYear(found) : null;
    if (year !== here) { here = year; paint(); }
  }
  window.addEventListener("scroll", function () {
    if (!scheduled) { scheduled = true; requestAnimationFrame(locate); }
  }, { passive: true });

  // Stuck once the overview has gone up behind where the strip shows.
  new IntersectionObserver(function (entries) {
    var entry = entries[entries.length - 1];
    stuck = !entry.isIntersecting && entry.boundingClientRect.bottom < element.offsetHeight;
    element.classList.toggle("is-stuck", stuck || element === document.activeElement);
  }, { rootMargin: "-" + element.offsetHeight + "px 0px 0px 0px" }).observe(axis);
  element.addEventListener("blur", function () { element.classList.toggle("is-stuck", stuck); });

  /* Go to the section of a year, or the nearest shown one. */
  function jump(year) {
    var sections = shownSections();
    if (!sections.length) return;
    var best = sections[0];
    sections.forEach(function (section) {
      if (Math.abs(sectionYear(section) - year) < Math.abs(sectionYear(best) - year)) best = section;
    });
    var top = best.getBoundingClientRect().top + window.pageYOffset - element.offsetHeight;
    window.scrollTo({ top: top });
    here = sectionYear(best);
    paint();
  }

  element.addEventListener("click", function (event) {
    var box = bars.getBoundingClientRect();
    var k = Math.floor((event.clientX - box.left) / box.width * years);
    jump(first + Math.max(0, Math.min(years - 1, k)));
  });
  element.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    var shown = shownSections().map(sectionYear).sort(function (a, b) { return a - b; });
    if (!shown.length) return;
    var at = here === null ? -1 : shown.indexOf(here);
    var to;
    if (event.key === "ArrowRight" || event.key === "ArrowUp") to = Math.min(shown.length - 1, at + 1);
    else if (event.key === "ArrowLeft" || event.key === "ArrowDown") to = Math.max(0, at - 1);
    else if (event.key === "Home") to = 0;
    else if (event.key === "End") to = shown.length - 1;
    else return;
    event.preventDefault();
    jump(shown[to]);
  });

  return { paint: paint, locate: locate };
};
