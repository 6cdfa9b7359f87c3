/* "Embed this view": shows the button (the page is complete without it) and loads the dialog,
 * embed-dialog.js, when it is first pressed, so that a page does not carry the dialog's code
 * until someone wants it.
 */
(function () {
  "use strict";

  var slot = document.querySelector(".embed-slot[data-dialog]");
  if (!slot) return;
  if (!window.HTMLDialogElement || !window.URL || !window.Promise) {
    slot.hidden = true;  // shown (.js-only) before this runs, so that nothing moves; here it would not work
    return;
  }
  var button = slot.querySelector("button");
  var status = slot.querySelector(".embed-status");

  function load() {
    button.removeEventListener("click", load);
    button.setAttribute("aria-busy", "true");
    slot.setAttribute("data-opening", "");  // embed-dialog.js opens the dialog as soon as it runs
    // The timeline's view needs query.js, which the page loads only with its search (search-loader.js).
    var sources = [slot.getAttribute("data-dialog")];
    if (slot.hasAttribute("data-query") && !window.ChronicleQuery) sources.unshift(slot.getAttribute("data-query"));
    var scripts = sources.map(function (src) {
      var script = document.createElement("script");
      script.src = src;
      script.async = false;  // in this order
      script.onerror = failed;
      document.head.appendChild(script);
      return script;
    });
    function failed() {
      scripts.forEach(function (script) { script.remove(); });
      button.removeAttribute("aria-busy");
      slot.removeAttribute("data-opening");
      status.textContent = "The embed options could not be loaded; try again.";
      button.addEventListener("click", load);
    }
  }

  slot.hidden = false;
  button.addEventListener("click", load);
})();
