/* "Embed this view": on the timeline (its current search and filters, read from the address) and on
 * each event page. The button (shown by embed-button.js, which loads this file when it is first
 * pressed) opens a dialog with two snippets to copy, the frame alone (for any site that accepts an
 * iframe) and the script form, which sets its own height (embed.js), and a live preview of the
 * widget. Without JavaScript the button is not shown.
 *
 * The widget of a view that one tag, actor, place or year makes is a page of its own
 * (embed/tags/cjng/), complete without JavaScript; any other view is embed/?<query>. The snippets are
 * the same markup as the oEmbed responses (chronicle/site/embed.py, iframe_snippet).
 */
(function () {
  "use strict";

  var slot = document.querySelector(".embed-slot[data-site]");
  if (!slot || !window.URL || !window.HTMLDialogElement || !window.Promise) return;
  if (!slot.hasAttribute("data-event") && !window.ChronicleQuery) return;  // the timeline's view needs query.js
  var button = slot.querySelector("button");
  var data = slot.dataset;
  var site = new URL(data.site, location.href).href;
  var SANDBOX = "allow-scripts allow-popups allow-popups-to-escape-sandbox";
  var THEMES = [["auto", "The reader's setting"], ["light", "Light"], ["dark", "Dark"]];
  var dialog = null;
  var views = null;  // the data of embed/data/names.js: which views have a page of their own
  var theme = "auto";

  function escape(text) {
    return String(text).replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }

  /* The iframe snippet: the same markup as iframe_snippet in chronicle/site/embed.py. */
  function iframeSnippet(src, title, height) {
    return '<iframe src="' + escape(src) + '" title="' + escape(title) + '" width="100%" height="' + height +
      '" loading="lazy" sandbox="' + SANDBOX + '" style="width:100%;max-width:100%;height:' + height + 'px;border:0"></iframe>';
  }

  function scriptSnippet(src, title, link) {
    return '<div data-chronicle-embed="' + escape(src) + '"><a href="' + escape(link) + '">' + escape(title) + "</a></div>\n" +
      '<script src="' + escape(site + "embed.js") + '" async></script>';
  }

  /* The names of the tags, actors and places, their slugs and the years with a widget page, once,
     as the widget loads them (a script calling chronicleEmbedData). */
  function loadViews() {
    if (views) return Promise.resolve(views);
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      window.chronicleEmbedData = function (name, value) { if (name === "names") resolve(value); };
      script.src = site + "embed/data/names.js";
      script.onerror = function () { reject(new Error("embed/data/names.js could not be loaded")); };
      document.head.appendChild(script);
    }).then(function (value) {
      views = value;
      return value;
    });
  }

  /* What to embed: {src, title, link (the view on the site), height, complete (shown without JavaScript)}. */
  function chosen() {
    var suffix = theme === "auto" ? "" : "theme=" + theme;
    if (data.event) {
      return {
        src: site + "embed/events/" + data.event + "/" + (suffix && "?" + suffix),
        title: data.title + " · " + data.siteTitle,
        link: site + "events/" + data.event + "/",
        height: data.height,
        complete: true
      };
    }
    var Q = window.ChronicleQuery;
    var state = Q.parse(location.search);
    var one = Q.single(state);
    var path = "";
    if (one && one.kind === "year" && views.years.indexOf(parseInt(one.value, 10)) >= 0) path = "years/" + one.value + "/";
    else if (one && one.kind === "tag" && views.tags.indexOf(one.value) >= 0) path = "tags/" + one.value + "/";
    else if (one && (one.kind === "actor" || one.kind === "place")) {
      var plural = one.kind + "s";
      var n = views[plural].indexOf(one.value);
      if (n >= 0) path = plural + "/" + views.slugs[plural][n] + "/";
    }
    var query = path ? (suffix && "?" + suffix) : Q.toSearch({ q: state.q, tag: state.tag, actor: state.actor, place: state.place,
      status: state.status, from: state.from, to: state.to, theme: theme }, true);
    return {
      src: site + "embed/" + path + query,
      title: Q.title(state) + " · " + data.siteTitle,
      link: site + Q.toSearch(state),
      height: data.height,
      complete: Boolean(path)
    };
  }

  function element(tag, attributes, text) {
    var made = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) { made.setAttribute(name, attributes[name]); });
    if (text) made.textContent = text;
    return made;
  }

  function codeBlock(id, label, hint) {
    var box = element("div", { class: "embed-code" });
    var area = element("textarea", { id: id, readonly: "", rows: "4", spellcheck: "false", "aria-describedby": id + "-hint" });
    var copy = element("button", { type: "button", class: "button embed-copy", "aria-describedby": id + "-label" }, "Copy");
    var status = element("span", { class: "embed-status", role: "status" });
    area.addEventListener("focus", function () { area.select(); });
    copy.addEventListener("click", function () {
      area.select();
      var done = function () { status.textContent = "Copied."; };
      var manual = function () { area.focus(); status.textContent = "Selected: press Ctrl+C (⌘C on a Mac) to copy."; };
      if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(area.value).then(done, manual);
      else manual();
    });
    box.append(element("label", { for: id, id: id + "-label" }, label), element("p", { class: "hint", id: id + "-hint" }, hint), area);
    var actions = element("p", { class: "embed-actions" });
    actions.append(copy, " ", status);
    box.append(actions);
    return box;
  }

  function build() {
    dialog = element("dialog", { class: "embed-dialog", "aria-labelledby": "embed-h", "aria-describedby": "embed-what" });
    var head = element("div", { class: "embed-dialog-head" });
    var close = element("button", { type: "button", class: "embed-close" }, "Close");
    head.append(element("h2", { id: "embed-h" }, "Embed this view"), close);
    var what = element("div", { id: "embed-what" });
    what.append(element("p", { class: "embed-view" }), element("p", { class: "hint" }));
    var themes = element("fieldset", { class: "embed-theme" });
    themes.append(element("legend", {}, "Colours"));
    THEMES.forEach(function (pair) {
      var label = element("label");
      var radio = element("input", { type: "radio", name: "embed-theme", value: pair[0] });
      radio.checked = pair[0] === theme;
      radio.addEventListener("change", function () { theme = pair[0]; refresh(); });
      label.append(radio, " " + pair[1]);
      themes.append(label);
    });
    var preview = element("section", { class: "embed-preview", "aria-labelledby": "embed-preview-h" });
    preview.append(element("h3", { id: "embed-preview-h" }, "Preview"), element("div", { class: "embed-frame" }));
    // The snippets before the preview, whose links would otherwise stand between the keyboard and them.
    dialog.append(
      head,
      what,
      themes,
      codeBlock("embed-iframe", "Frame", "For any site that accepts an iframe. It keeps the height written in it, unless the page also has the script below."),
      codeBlock("embed-script", "Frame with its script", "Where the page may hold a script: the frame then sets its own height."),
      preview
    );
    close.addEventListener("click", function () { dialog.close(); });
    document.body.appendChild(dialog);
  }

  /* The host pages' script, once, from this site's static files (data-site names the site's address). */
  function hostScript() {
    if (document.querySelector("script[data-embed-host]")) return;
    var script = element("script", { src: data.script, "data-site": data.site, "data-embed-host": "" });
    script.async = true;
    document.head.appendChild(script);
  }

  function refresh() {
    var view = chosen();
    dialog.querySelector(".embed-view").textContent = view.title;
    dialog.querySelector("#embed-what .hint").textContent = "Paste one of the snippets below into your article (a preview follows them); links in it open this site in a new tab." +
      (view.complete ? "" : " Readers need JavaScript on to see this view (the view of one tag, actor, place or year does not).");
    dialog.querySelector("#embed-iframe").value = iframeSnippet(view.src, view.title, view.height);
    dialog.querySelector("#embed-script").value = scriptSnippet(view.src, view.title, view.link);
    Array.prototype.forEach.call(dialog.querySelectorAll(".embed-status"), function (status) { status.textContent = ""; });
    var frame = dialog.querySelector(".embed-frame");
    var holder = element("div", { "data-chronicle-embed": view.src });
    holder.append(element("a", { href: view.link }, view.title));
    frame.replaceChildren(holder);
    if (window.chronicleEmbeds && window.chronicleEmbeds[site]) window.chronicleEmbeds[site].scan();
    else hostScript();
  }

  function open() {
    var ready = data.event ? Promise.resolve() : loadViews();
    button.setAttribute("aria-busy", "true");
    ready.then(function () {
      if (!dialog) build();
      refresh();
      dialog.showModal();
    }).catch(function (error) {
      slot.querySelector(".embed-status").textContent = "The embed options could not be loaded (" + error.message + ").";
    }).then(function () {
      button.removeAttribute("aria-busy");
    });
  }

  button.addEventListener("click", open);
  if (slot.hasAttribute("data-opening")) {  // pressed: embed-button.js loaded this file to open the dialog
    slot.removeAttribute("data-opening");
    open();
  }
})();
