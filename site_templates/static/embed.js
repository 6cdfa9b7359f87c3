/* Timeline widgets on the page of an article. Published at the site's root as /embed.js.
 *
 * Paste a placeholder (its link is what readers see if this script does not run) and this script:
 *   <div data-chronicle-embed="https://example.org/timeline/embed/tags/cjng/">
 *     <a href="https://example.org/timeline/?tag=cjng">Events tagged cjng</a></div>
 *   <script src="https://example.org/timeline/embed.js" async></script>
 * Each placeholder becomes a frame of that widget, sandboxed as the snippets recommend, and every
 * frame of this site's widgets on the page (pasted iframes too) is kept as tall as its content: the
 * widget sends {type: "chronicle-embed", version: 1, height: <px>} (widget.js), and this sets the
 * frame's height. A message counts only when it comes from one of those frames, from the widget's
 * origin ("null" for a sandboxed frame), with exactly that shape; anything else is ignored.
 *
 * Only addresses under this script's own site (embed/...) are framed. Loaded several times, or with
 * another site's embed.js beside it, each site's script runs once and minds its own frames. It reads
 * nothing else of the page and sets no cookie.
 */
(function () {
  "use strict";

  var TYPE = "chronicle-embed";
  var VERSION = 1;
  var MAX_HEIGHT = 100000;
  var HEIGHT = 640;  // until the widget says
  var SANDBOX = "allow-scripts allow-popups allow-popups-to-escape-sandbox";

  var script = document.currentScript;
  if (!script || !script.src || !window.URL) return;
  // The site's address: this script's folder, or the page's data-site attribute (the site's own pages).
  var site = new URL(script.getAttribute("data-site") || ".", script.src).href;
  var registry = window.chronicleEmbeds = window.chronicleEmbeds || {};
  if (registry[site]) {
    registry[site].scan();
    return;
  }
  var widgets = site + "embed/";
  var origin = new URL(site).origin;
  var frames = [];

  function ours(address) {
    try {
      var url = new URL(address, location.href);
      return (url.protocol === "https:" || url.protocol === "http:") && url.href.indexOf(widgets) === 0;
    } catch (error) {
      return false;
    }
  }

  function important(frame, property, value) {
    frame.style.setProperty(property, value, "important");
  }

  function ask(frame) {
    if (frame.contentWindow) frame.contentWindow.postMessage({ type: TYPE, version: VERSION, request: "height" }, "*");
  }

  /* Keep this frame of a widget as tall as its content. */
  function adopt(frame) {
    for (var i = 0; i < frames.length; i++) if (frames[i] === frame) return;
    frames.push(frame);
    important(frame, "box-sizing", "content-box");  // its height is the content's, whatever border the page gives it
    important(frame, "border", "0");
    important(frame, "padding", "0");
    frame.style.display = "block";
    if (!frame.style.width) frame.style.width = "100%";
    frame.addEventListener("load", function () { ask(frame); });
    ask(frame);
  }

  /* Replace a placeholder with the frame it names. */
  function upgrade(holder) {
    var address = holder.getAttribute("data-chronicle-embed");
    if (holder.querySelector("iframe") || !address || !ours(address)) return;
    var frame = document.createElement("iframe");
    frame.src = new URL(address, location.href).href;
    frame.title = holder.getAttribute("data-title") || holder.textContent.replace(/\s+/g, " ").trim() || "Timeline";
    frame.setAttribute("sandbox", SANDBOX);
    frame.setAttribute("loading", "lazy");
    frame.setAttribute("width", "100%");
    frame.setAttribute("height", String(HEIGHT));
    holder.replaceChildren(frame);
    adopt(frame);
  }

  function scan() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-chronicle-embed]"), upgrade);
    Array.prototype.forEach.call(document.querySelectorAll("iframe[src]"), function (frame) {
      if (ours(frame.getAttribute("src"))) adopt(frame);
    });
  }

  function isHeight(data) {
    return data !== null && typeof data === "object" && !Array.isArray(data) && Object.keys(data).length === 3 &&
      data.type === TYPE && data.version === VERSION && typeof data.height === "number" &&
      Math.floor(data.height) === data.height && data.height >= 0 && data.height <= MAX_HEIGHT;
  }

  window.addEventListener("message", function (event) {
    if (!event.source) return;
    var frame = null;
    for (var i = 0; i < frames.length; i++) if (frames[i].contentWindow === event.source) frame = frames[i];
    if (!frame) return;
    var opaque = frame.hasAttribute("sandbox") && !frame.sandbox.contains("allow-same-origin");
    if (event.origin !== (opaque ? "null" : origin) || !isHeight(event.data)) return;
    important(frame, "height", event.data.height + "px");
  });

  registry[site] = { scan: scan, version: VERSION };
  scan();
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", scan);
})();
