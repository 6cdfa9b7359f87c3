/* The timeline's search (1 of 6): the state of a view, and the active filters as chips.
 *
 * A state is what the URL holds (?q=barrett&tag=cjng&from=2009&to=2015&order=newest): the view as
 * query.js reads and writes it, and this page's order. This file reads a state from the URL or from
 * the controls, writes one to the URL and shows one in the controls. A link's values that make no
 * sense (a year that is not a number, years the wrong way round, a tag the timeline does not have)
 * are corrected or dropped, and a note says so without repeating them.
 * It also owns the chips of the active filters (each removes its filter; "Clear all"), the
 * Filters button with its count, and the button that goes to the results.
 * Loaded before search.js (data-scripts in _search.html), which runs it with the other parts; it
 * defines window.ChronicleSearch.state and does nothing until then.
 */
window.ChronicleSearch = window.ChronicleSearch || {};
window.ChronicleSearch.state = function (S) {
  "use strict";

  var Q = S.Q;
  var form = S.form;
  var input = S.input;
  var orders = S.orders;
  var chips = S.chips;
  var jump = S.jump;
  var results = S.results;
  var toggle = S.toggle;
  var panel = S.panel;
  var filterCount = document.getElementById("filter-count");
  var hint = document.getElementById("search-hint");
  var note = document.getElementById("query-note");
  var FILTERS = S.FILTERS;
  var SEARCH = Q.FIELDS;  // what narrows the list: the view, as query.js reads and writes it
  var FIELDS = SEARCH.concat(["order"]);  // and this page's order, which a widget does not take
  var firstYear = S.firstYear;
  var lastYear = S.lastYear;

  // ---- the state: read from the URL (checked), from the controls, written to the URL -------------

  function readState(search) {
    var state = Q.parse(search);
    state.order = (new URLSearchParams(search).get("order") || "").trim();
    return state;
  }

  /* A state from a link, with what makes no sense corrected or dropped; notes say what, never quoting it. */
  function checked(state) {
    var notes = [];
    var clean = {};
    FIELDS.forEach(function (name) { clean[name] = state[name]; });
    if (clean.q.length > 200) clean.q = clean.q.slice(0, 200);
    FILTERS.forEach(function (name) {
      if (clean[name] && !optionFor(name, clean[name])) {
        clean[name] = "";
        notes.push("The link asked for a" + (name === "actor" ? "n " : " ") + name + " this timeline does not have, which is left out.");
      }
    });
    ["from", "to"].forEach(function (name) {
      if (clean[name] && !/^\d{1,4}$/.test(clean[name])) {
        clean[name] = "";
        notes.push("The link’s “" + name + "” was not a year, and is left out.");
      } else if (clean[name]) clean[name] = String(parseInt(clean[name], 10));
    });
    if (clean.from && clean.to && parseInt(clean.from, 10) > parseInt(clean.to, 10)) {
      var from = clean.from;
      clean.from = clean.to;
      clean.to = from;
      notes.push("The link’s years were the wrong way round: " + clean.from + "–" + clean.to + " is shown.");
    }
    if (clean.order && clean.order !== "newest") {
      clean.order = "";
      notes.push("The link asked for an order this page does not know: oldest first is shown.");
    }
    return { state: clean, notes: notes };
  }

  function optionFor(name, value) {
    return Array.prototype.find.call(form.elements[name].options, function (option) { return option.value === value; });
  }

  function formState() {
    var state = {};
    SEARCH.forEach(function (name) { state[name] = String(form.elements[name].value || "").trim(); });
    var order = orders.find(function (radio) { return radio.checked; });
    state.order = order ? order.value : "";
    return checked(state).state;
  }

  function query(state) {
    var text = Q.toSearch(state);
    return state.order ? text + (text ? "&" : "?") + "order=" + encodeURIComponent(state.order) : text;
  }

  function isEmpty(state) {
    return Q.isEmpty(state);
  }

  function isFiltering(state) {
    return Q.isFiltering(state);
  }

  function showState(state) {
    SEARCH.forEach(function (name) {
      var control = form.elements[name];
      if (control.value !== state[name]) control.value = state[name];
    });
    orders.forEach(function (radio) { radio.checked = radio.value === state.order; });
    showChips(state);
  }

  function showNotes(notes) {
    note.textContent = notes.join(" ");
    note.hidden = !notes.length;
  }

  // ---- the active filters as chips, and the Filters button ----------------------------------------

  function chip(label, fields) {
    var item = document.createElement("li");
    var button = document.createElement("button");
    button.type = "button";
    button.className = "chip";
    button.dataset.clear = fields.join(" ");
    button.setAttribute("aria-label", "Remove the filter " + label);
    var text = document.createElement("span");
    text.textContent = label;
    var cross = document.createElement("span");
    cross.className = "chip-x";
    cross.setAttribute("aria-hidden", "true");
    cross.textContent = "×";
    button.append(text, cross);
    item.appendChild(button);
    return item;
  }

  function showChips(state) {
    var made = [];
    FILTERS.forEach(function (name) { if (state[name]) made.push(chip(name + ": " + state[name], [name])); });
    if (state.from || state.to) {
      made.push(chip(state.from === state.to ? "year: " + state.from : "years: " + (state.from || firstYear) + "–" + (state.to || lastYear), ["from", "to"]));
    }
    chips.textContent = "";
    made.forEach(function (item) { chips.appendChild(item); });
    if (made.length || state.q) {
      var item = document.createElement("li");
      var clear = document.createElement("button");
      clear.type = "reset";
      clear.className = "chip chip-clear";
      clear.textContent = "Clear all";
      item.appendChild(clear);
      chips.appendChild(item);
    }
    chips.hidden = !chips.children.length;
    hint.hidden = !chips.hidden;
    jump.hidden = chips.hidden;
    chips.classList.toggle("is-overflowing", chips.scrollWidth > chips.clientWidth + 1);  // faded at the edge: it scrolls
    filterCount.textContent = made.length ? " · " + made.length : "";
  }

  chips.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-clear]");
    if (!button) return;
    var at = Array.prototype.indexOf.call(chips.querySelectorAll("button"), button);
    button.dataset.clear.split(" ").forEach(function (name) { form.elements[name].value = ""; });
    S.commit(true);
    var left = chips.querySelectorAll("button");  // focus stays in the chips: on the next one, or Clear all
    if (left.length) left[Math.min(at, left.length - 1)].focus({ preventScroll: true });
    else input.focus({ preventScroll: true });
  });

  jump.addEventListener("click", function () {
    S.reveal = true;
    S.revealResults();
    results.focus({ preventScroll: true });
  });

  toggle.addEventListener("click", function () {
    var open = panel.hidden;
    panel.hidden = !open;
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
    if (open) S.panelOpened();
  });

  S.readState = readState;
  S.checked = checked;
  S.formState = formState;
  S.query = query;
  S.isEmpty = isEmpty;
  S.isFiltering = isFiltering;
  S.showState = showState;
  S.showNotes = showNotes;
};
