/* The timeline's search (4 of 6): the words highlighted in each matching card, and why each event
 * matched. A card's title, summary and tags are marked with the query's words (and the tag filtered
 * by); a line under its title says why it matched: the actor or place filtered by at once, and for a
 * text query an excerpt of the field the words were found in (Pagefind's fragment of the event's
 * search document, fetched as the card, or the row of the list of other matches, comes near the
 * screen).
 * Loaded before search.js (data-scripts in _search.html), which runs it with the other parts; it
 * defines window.ChronicleSearch.excerpts and does nothing until then.
 */
window.ChronicleSearch = window.ChronicleSearch || {};
window.ChronicleSearch.excerpts = function (S) {
  "use strict";

  var fold = S.fold;
  var cards = S.cards;
  var positions = S.positions;
  var marked = cards.map(function () { return ""; });  // the words each card is highlighted with
  var whys = cards.map(function () { return null; });  // each card's "why it matched" line, once made

  function unmark(root) {
    root.querySelectorAll("mark.hit").forEach(function (mark) {
      var parent = mark.parentNode;
      parent.replaceChild(document.createTextNode(mark.textContent), mark);
      parent.normalize();
    });
  }

  function mark(root, words) {
    if (!words.length) return;
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    var nodes = [];
    while (walker.nextNode()) nodes.push(walker.currentNode);
    nodes.forEach(function (node) {
      var original = node.data;
      var folded = "";
      var map = [];  // folded index -> original index
      for (var i = 0; i < original.length; i++) {
        var f = fold(original[i]);
        for (var j = 0; j < f.length; j++) map.push(i);
        folded += f;
      }
      var spans = [];
      words.forEach(function (word) {
        var at = folded.indexOf(word);
        while (at >= 0) {
          var before = at === 0 ? "" : folded[at - 1];
          if (!/[\p{L}\p{N}]/u.test(before)) spans.push([map[at], map[at + word.length - 1] + 1]);
          at = folded.indexOf(word, at + word.length);
        }
      });
      if (!spans.length) return;
      spans.sort(function (a, b) { return a[0] - b[0]; });
      var fragment = document.createDocumentFragment();
      var last = 0;
      spans.forEach(function (span) {
        if (span[0] < last) return;
        fragment.appendChild(document.createTextNode(original.slice(last, span[0])));
        var hit = document.createElement("mark");
        hit.className = "hit";
        hit.textContent = original.slice(span[0], span[1]);
        fragment.appendChild(hit);
        last = span[1];
      });
      fragment.appendChild(document.createTextNode(original.slice(last)));
      node.parentNode.replaceChild(fragment, node);
    });
  }

  /* The card's title, summary and tags, marked with these words (and the tag filtered by). */
  function highlight(k, words, tag) {
    var key = words.join(" ") + "#" + (tag || "");
    if (marked[k] === key) return;
    var parts = cards[k].querySelectorAll(".event-title, .event-summary");
    if (marked[k]) parts.forEach(unmark);
    if (words.length) parts.forEach(function (part) { mark(part, words); });
    cards[k].querySelectorAll(".tags a").forEach(function (link) {
      var name = link.textContent;
      var hit = (!!tag && name === tag) || name.split("-").some(function (part) {
        return words.some(function (word) { return part.indexOf(word) === 0; });
      });
      if (link.classList.contains("tag-hit") !== hit) link.classList.toggle("tag-hit", hit);
    });
    marked[k] = key;
  }

  /* Pagefind's fragment of an event's search document (chronicle/site/search.py: search_document),
     whose fields are marked by the ids of empty-texted elements: Pagefind lists them as anchors with
     the number of the word they start at. The words it matched are data.locations. */
  var FIELD_LABELS = { d: "In the date and status", s: "In the summary", b: "In the text", a: "Actors", p: "Places", g: "Tags", c: "Source" };

  function fields(data) {
    var starts = (data.anchors || []).filter(function (a) { return /^[dsbapgcr]\d*$/.test(a.id); })
      .sort(function (a, b) { return a.location - b.location; });
    return [{ id: "t", location: 0 }].concat(starts);
  }

  function whyFrom(data) {
    var words = data.raw_content.split(/[\r\n\s]+/g).map(function (w) { return w.replace(/&lt;/g, "<").replace(/&gt;/g, ">"); });
    var found = fields(data);
    var hits = new Set(data.locations || []);
    var perField = found.map(function () { return 0; });
    var at = 0;
    (data.locations || []).slice().sort(function (a, b) { return a - b; }).forEach(function (location) {
      while (at < found.length - 1 && found[at + 1].location <= location) at++;
      perField[at]++;
    });
    // A field the card does not show first (text, names, sources), else the summary, else the title.
    var best = -1;
    found.forEach(function (field, i) {
      if (!perField[i] || "ts".indexOf(field.id.charAt(0)) >= 0) return;
      if (best < 0 || perField[i] > perField[best]) best = i;
    });
    if (best < 0) best = found.findIndex(function (f, i) { return f.id === "s" && perField[i]; });
    if (best < 0) best = 0;
    var field = found[best];
    var start = field.location;
    var end = best + 1 < found.length ? found[best + 1].location : words.length;
    var label = FIELD_LABELS[field.id.charAt(0)] || "In the title";
    if (field.id.charAt(0) === "r") {  // a quoted passage: named by its source (title · publisher), the publisher first
      var cited = found[best - 1];
      var source = cited && cited.id.charAt(0) === "c" ? words.slice(cited.location, field.location).join(" ").replace(/\.$/, "") : "";
      source = source.split(" · ").pop() || "a source";
      label = "Quoted from " + (source.length > 24 ? source.slice(0, 22).replace(/\s+\S*$/, "") + "…" : source);
    }
    var firstHit = start;
    for (var i = start; i < end; i++) if (hits.has(i)) { firstHit = i; break; }
    var from = Math.max(start, firstHit - 3);  // the words found early in the line, which shows two lines of it
    var to = Math.min(end, from + 20);
    var parts = [];
    for (var w = from; w < to; w++) parts.push({ text: words[w], hit: hits.has(w) });
    // Pagefind ends each block of text with a full stop: not a list of names', nor the date's
    if (to === end && /^[dapgc]/.test(field.id) && parts.length) parts[parts.length - 1].text = parts[parts.length - 1].text.replace(/\.$/, "");
    return { label: label, words: parts, before: from > start, after: to < end, matched: Array.from(hits).map(function (i) { return words[i]; }) };
  }

  function whyLine(k) {
    if (!whys[k]) {
      var line = document.createElement("p");
      line.className = "why";
      var summary = cards[k].querySelector(".event-summary");
      summary.parentNode.insertBefore(line, summary);  // under the title: the first thing read after it
      whys[k] = line;
    }
    return whys[k];
  }

  function writeWhy(line, reasons, excerpt) {
    line.textContent = "";
    reasons.forEach(function (reason) {
      var label = document.createElement("span");
      label.className = "why-field";
      label.textContent = reason[0] + ": ";
      line.append(label, reason[1], " ");
    });
    if (!excerpt) return;
    var label = document.createElement("span");
    label.className = "why-field";
    label.textContent = excerpt.label + ": ";
    line.appendChild(label);
    if (excerpt.before) line.append("…");
    excerpt.words.forEach(function (word, i) {
      if (i) line.append(" ");
      if (word.hit) {  // the word marked, not the punctuation around it
        var parts = /^([^\p{L}\p{N}]*)(.*?)([^\p{L}\p{N}]*)$/u.exec(word.text);
        var hit = document.createElement("mark");
        hit.className = "hit";
        hit.textContent = parts[2];
        line.append(parts[1], hit, parts[3]);
      } else line.append(word.text);
    });
    if (excerpt.after) line.append("…");
  }

  /* Why each match matched: the actor or place filtered by at once; for a text query, an excerpt once
     the card (or the row of the list of other matches) comes near the screen, its fragment fetched
     then. The line keeps its height meanwhile. */
  var pending = new Map();  // card or row -> what its line waits for: {result, line, card, reasons, words, tag, generation}
  var nearScreen = new IntersectionObserver(function (entries) {
    entries.forEach(function (entry) {
      if (!entry.isIntersecting) return;
      var wait = pending.get(entry.target);
      nearScreen.unobserve(entry.target);
      if (!wait) return;
      pending.delete(entry.target);
      wait.result.data().then(function (fragment) {
        if (wait.generation !== S.generation) return;
        var excerpt = whyFrom(fragment);
        writeWhy(wait.line, wait.reasons, excerpt);
        if (wait.card < 0) return;
        var words = wait.words.concat(excerpt.matched.map(function (word) {
          return fold(word).replace(/[^\p{L}\p{N}]+/gu, "");
        }).filter(function (word) { return word.length > 1; }));
        highlight(wait.card, Array.from(new Set(words)), wait.tag);
      }).catch(function () {
        if (wait.generation === S.generation) writeWhy(wait.line, wait.reasons, null);
      });
    });
  }, { rootMargin: "600px 0px" });

  function awaitExcerpt(element, wait) {
    wait.line.append("…");
    wait.generation = S.generation;
    pending.set(element, wait);
    nearScreen.observe(element);
  }

  /* The rows of the list of other matches no longer wait for their excerpts (the list is emptied). */
  function forgetRows() {
    pending.forEach(function (wait, element) { if (wait.card < 0) { pending.delete(element); nearScreen.unobserve(element); } });
  }

  function explain(k, hit, state, text, words) {
    var reasons = [];
    if (hit && state.actor) reasons.push(["Actor", state.actor]);
    if (hit && state.place) reasons.push(["Place", state.place]);
    var result = hit && text && text.results.get(positions[k]);
    if (pending.delete(cards[k])) nearScreen.unobserve(cards[k]);
    if (!reasons.length && !result) {
      if (whys[k]) whys[k].hidden = true;
      return;
    }
    var line = whyLine(k);
    line.hidden = false;
    line.classList.toggle("why-text", !!result);
    writeWhy(line, reasons, null);
    if (result) awaitExcerpt(cards[k], { result: result, line: line, card: k, reasons: reasons, words: words, tag: state.tag });
  }

  S.highlight = highlight;
  S.explain = explain;
  S.awaitExcerpt = awaitExcerpt;
  S.forgetRows = forgetRows;
};
