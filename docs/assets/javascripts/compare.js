/*
 * The comparison table of models: filter, search and sort it in the browser.
 *
 * Progressive enhancement: the page already holds the complete table and a
 * hidden filter form; this script shows the form and wires it up, turns the
 * sortable column headings into buttons, and keeps the filters in the
 * address (?use=allowed&task=segmentation) so a narrowed list can be shared.
 * Nothing is loaded from anywhere.
 *
 * Each row carries what the filters compare in data attributes written by the
 * catalogue's templates (templates/compare-table.md.j2): data-category,
 * data-use, data-license, data-kind, and data-modality / data-task, which
 * hold several values separated by "|"; data-archived (yes / no) only when
 * the site was built with a freshness file.
 */
(function () {
  "use strict";

  var FILTERS = ["category", "use", "license", "kind", "modality", "task", "archived"];

  function normalise(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/\s+/g, " ");
  }

  function rowMatches(row, choices, words) {
    for (var i = 0; i < FILTERS.length; i++) {
      var wanted = choices[FILTERS[i]];
      if (wanted && (row.getAttribute("data-" + FILTERS[i]) || "").split("|").indexOf(wanted) === -1) {
        return false;
      }
    }
    return words.every(function (word) {
      return row.ohmText.indexOf(word) !== -1;
    });
  }

  function readAddress(form) {
    var params = new URLSearchParams(window.location.search);
    Array.prototype.forEach.call(form.elements, function (control) {
      var value = control.name ? params.get(control.name) : null;
      if (value === null) return;
      if (control.tagName === "SELECT") {
        var known = Array.prototype.some.call(control.options, function (option) {
          return option.value === value;
        });
        if (!known) return;
      }
      control.value = value;
    });
  }

  function writeAddress(form) {
    var params = new URLSearchParams(window.location.search);
    Array.prototype.forEach.call(form.elements, function (control) {
      if (!control.name) return;
      if (control.value) params.set(control.name, control.value);
      else params.delete(control.name);
    });
    var query = params.toString();
    var address = window.location.pathname + (query ? "?" + query : "") + window.location.hash;
    window.history.replaceState(window.history.state, "", address);
  }

  function sortKey(row, column, numeric) {
    var cell = row.cells[column];
    var value = cell.getAttribute("data-sort-value");
    if (value === null) value = cell.textContent.trim();
    return numeric ? Number(value) : value;
  }

  function makeSortable(table) {
    var body = table.tBodies[0];
    var collator = new Intl.Collator(document.documentElement.lang || undefined, {
      numeric: true,
      sensitivity: "base",
    });
    var headings = Array.prototype.slice.call(table.tHead.rows[0].cells);
    headings.forEach(function (heading, column) {
      var kind = heading.getAttribute("data-sort");
      if (!kind) return;
      var button = document.createElement("button");
      button.type = "button";
      button.className = "ohm-sort";
      button.textContent = heading.textContent;
      heading.textContent = "";
      heading.appendChild(button);
      heading.setAttribute("aria-sort", "none");
      button.addEventListener("click", function () {
        var ascending = heading.getAttribute("aria-sort") !== "ascending";
        headings.forEach(function (other) {
          if (other.hasAttribute("aria-sort")) other.setAttribute("aria-sort", "none");
        });
        heading.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = sortKey(a, column, kind === "number");
          var y = sortKey(b, column, kind === "number");
          var order = kind === "number" ? x - y : collator.compare(x, y);
          return (ascending ? order : -order) || a.ohmOrder - b.ohmOrder;
        });
        rows.forEach(function (row) {
          body.appendChild(row);
        });
      });
    });
  }

  function setUp(container) {
    if (container.hasAttribute("data-ready")) return;
    container.setAttribute("data-ready", "");
    var form = container.querySelector(".ohm-filters");
    var table = container.querySelector("table");
    var count = container.querySelector(".ohm-count");
    var empty = container.querySelector(".ohm-empty");
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    rows.forEach(function (row, index) {
      row.ohmText = normalise((row.getAttribute("data-text") || "") + " " + row.textContent);
      row.ohmOrder = index;
    });

    function update() {
      var choices = {};
      FILTERS.forEach(function (name) {
        var control = form.elements[name];
        choices[name] = control ? control.value : "";
      });
      var search = form.elements.q ? normalise(form.elements.q.value).trim() : "";
      var words = search ? search.split(" ") : [];
      var shown = 0;
      rows.forEach(function (row) {
        row.hidden = !rowMatches(row, choices, words);
        if (!row.hidden) shown += 1;
      });
      var noun = rows.length === 1 ? " model" : " models";
      count.textContent = shown + " of " + rows.length + noun + " shown";
      empty.hidden = shown > 0;
      writeAddress(form);
    }

    readAddress(form);
    makeSortable(table);
    form.hidden = false;
    form.addEventListener("input", update);
    form.addEventListener("change", update);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
    });
    form.addEventListener("reset", function () {
      window.setTimeout(update); // the controls are cleared after the event
    });
    update();
  }

  function setUpAll() {
    Array.prototype.forEach.call(document.querySelectorAll(".ohm-compare"), setUp);
  }

  // With Material's instant navigation, pages arrive without a reload and
  // document$ announces each one; without it, the page loads once.
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(setUpAll);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUpAll);
  } else {
    setUpAll();
  }
})();
