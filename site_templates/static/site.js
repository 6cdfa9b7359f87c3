/* Chronicle: small enhancements. The site is complete without this file.
   - The overview axis becomes one tab stop: arrow keys move between years,
     Home and End jump to the ends, Enter follows the link (as links do).
     (The timeline page's, which picks years for the search, is overview.js's.)
   - "Copy citation" buttons appear and copy their text.
   - On an event page, the left and right arrow keys go to the earlier and the
     later event (the page's <link rel="prev|next">), unless a form field, a
     modifier key or something else on the page takes them. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function enhanceAxis(axis) {
    var links = Array.prototype.slice.call(axis.querySelectorAll(".axis-year > a"));
    if (!links.length) return;
    var hint = axis.querySelector(".axis-hint");
    if (hint) hint.hidden = false;
    var current = 0;
    var hash = window.location.hash;
    links.forEach(function (link, i) {
      if (hash && link.getAttribute("href") === hash) current = i;
    });
    function focusAt(i, move) {
      links[current].tabIndex = -1;
      current = Math.max(0, Math.min(links.length - 1, i));
      links[current].tabIndex = 0;
      if (move) links[current].focus();
    }
    links.forEach(function (link, i) {
      link.tabIndex = -1;
      if (hint) link.setAttribute("aria-describedby", hint.id);
      link.addEventListener("focus", function () { focusAt(i, false); });
    });
    links[current].tabIndex = 0;
    axis.addEventListener("keydown", function (event) {
      var keys = { ArrowLeft: -1, ArrowUp: -1, ArrowRight: 1, ArrowDown: 1 };
      if (event.altKey || event.ctrlKey || event.metaKey) return;
      if (event.key in keys) focusAt(current + keys[event.key], true);
      else if (event.key === "Home") focusAt(0, true);
      else if (event.key === "End") focusAt(links.length - 1, true);
      else return;
      event.preventDefault();
    });
  }

  function enhanceCopy(button) {
    var source = document.getElementById(button.getAttribute("data-copy"));
    if (!source || !navigator.clipboard) return;
    var status = button.parentNode.querySelector(".copy-status");
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(source.textContent.replace(/\s+/g, " ").trim()).then(
        function () { if (status) status.textContent = "Citation copied."; },
        function () { if (status) status.textContent = "Could not copy: select the text and copy it."; }
      );
    });
  }

  // A site built with a bare-path base URL cites "/events/x/": complete it with this host.
  function completePermalink(element) {
    var text = element.textContent.trim();
    if (text.charAt(0) === "/" && window.location.protocol.indexOf("http") === 0) {
      element.textContent = window.location.origin + text;
    }
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-permalink]"), completePermalink);
    Array.prototype.forEach.call(document.querySelectorAll("[data-axis]:not(.axis-steer)"), enhanceAxis);
    Array.prototype.forEach.call(document.querySelectorAll("button[data-copy]"), enhanceCopy);
  }
  document.addEventListener("keydown", function (event) {
    var rel = { ArrowLeft: "prev", ArrowRight: "next" }[event.key];
    if (!rel || event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    var target = event.target;
    if (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT|BUTTON|AUDIO|VIDEO)$/.test(target.tagName)) return;
    if (target.closest && target.closest("[role=listbox], [role=slider], [role=tablist], [role=menu]")) return;
    var link = document.querySelector('link[rel="' + rel + '"]');
    if (!link || !document.body.classList.contains("page-event")) return;
    event.preventDefault();
    window.location.href = link.href;
  });

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
