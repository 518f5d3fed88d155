/*
 * The comparison table of models: filter, search and sort it in the browser,
 * and choose models to compare side by side.
 *
 * Progressive enhancement: the page holds the table's first rows (all of
 * them in a small catalogue), a link to the complete list, and a hidden
 * filter form; this script shows the form and wires it up, turns the
 * sortable column headings into buttons, and keeps the filters in the
 * address (?use=allowed&task=segmentation) so a narrowed list can be shared.
 * Nothing is loaded from other hosts.
 *
 * The filters are whatever selects the page has (templates/compare-table.md.j2
 * writes them from ohm/site/table.py): a select named NAME keeps the rows
 * whose data-NAME attribute holds its value ("|" separates several values).
 * data-text holds the row's searchable text, already normalised.
 *
 * Rows live in an array, and the table body holds only the rows on show (at
 * most data-limit of them until "Show all"), so filtering and sorting cost
 * little even with thousands of models. When the page carries only its first
 * rows and the reader filters, sorts or asks for all, the remaining rows are
 * read once from the complete list, the page the "Show all" link leads to.
 */
(function () {
  "use strict";

  var MAX_CHOSEN = 4;
  var SEARCH = "search"; // the address parameter of the search box

  function normalise(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/\s+/g, " ").trim();
  }

  function plural(count, noun) {
    return count + " " + noun + (count === 1 ? "" : "s");
  }

  function Row(element, order, names) {
    this.element = element;
    this.id = element.id.replace(/^row-/, "");
    this.order = order;
    this.text = element.getAttribute("data-text") || "";
    this.values = {};
    for (var i = 0; i < names.length; i++) {
      this.values[names[i]] = (element.getAttribute("data-" + names[i]) || "").split("|");
    }
    this.keys = {}; // sort keys by column, read when the column is first sorted
  }

  // Text sorts without regard to case or accents, and numbers in it by value ("Model 9" before
  // "Model 10"): digits are padded, so plain comparison of the keys gives that order, and
  // quickly, which matters with thousands of rows.
  function textKey(text) {
    return normalise(text).replace(/\d+/g, function (digits) {
      return digits.padStart(15, "0");
    });
  }

  Row.prototype.sortKey = function (column, numeric) {
    if (!(column in this.keys)) {
      var cell = this.element.cells[column];
      var value = cell.getAttribute("data-sort-value");
      if (value === null) value = cell.textContent;
      this.keys[column] = numeric ? Number(value) : textKey(value);
    }
    return this.keys[column];
  };

  // A "Show all" button for a table that holds every row but shows only the first matches.
  function showAllButton(after) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "ohm-more md-button";
    button.hidden = true;
    after.parentNode.insertBefore(button, after.nextSibling);
    return button;
  }

  function setUp(container) {
    if (container.hasAttribute("data-ready")) return;
    container.setAttribute("data-ready", "");

    var form = container.querySelector(".ohm-filters");
    var table = container.querySelector("table");
    var body = table.tBodies[0];
    var count = container.querySelector(".ohm-count");
    var empty = container.querySelector(".ohm-empty");
    var source = container.querySelector("a.ohm-more"); // the complete list, when this table is partial
    var more = source || showAllButton(empty);
    var chosenBar = container.querySelector(".ohm-chosen");
    var compareLink = chosenBar && chosenBar.querySelector("a");
    var compareAddress = compareLink && compareLink.href;
    var toggle = container.querySelector(".ohm-filters-toggle");
    var selects = form ? Array.prototype.slice.call(form.querySelectorAll("select[data-filter]")) : [];
    var search = form ? form.elements[SEARCH] : null;
    var scope = container.getAttribute("data-scope-name");
    var scopeValue = container.getAttribute("data-scope-value");
    var names = selects.map(function (select) {
      return select.name;
    });
    if (scope && names.indexOf(scope) === -1) names.push(scope);
    var total = Number(container.getAttribute("data-total"));
    var pageSize = Number(container.getAttribute("data-limit")) || Infinity;

    var rows = Array.prototype.slice.call(body.rows).map(function (element, index) {
      return new Row(element, index, names);
    });
    var state = {
      complete: rows.length >= total,
      loading: null,
      failed: false,
      limit: rows.length, // how many matching rows are on show
      sort: null, // {column, ascending, numeric}
      sorted: null, // the rows in that order
      ignored: [], // "name=value" from the address that matched no choice
      chosen: [],
      note: "",
      addressTimer: null,
    };

    function choices() {
      var active = [];
      selects.forEach(function (select) {
        if (select.value) active.push([select.name, select.value]);
      });
      return active;
    }

    function words() {
      var text = search ? normalise(search.value) : "";
      return text ? text.split(" ") : [];
    }

    function narrowed() {
      return choices().length > 0 || words().length > 0;
    }

    function matching() {
      var active = choices();
      var wanted = words();
      var ordered = state.sort ? sortedRows() : rows;
      var matches = [];
      for (var i = 0; i < ordered.length; i++) {
        var row = ordered[i];
        var keep = true;
        for (var j = 0; keep && j < active.length; j++) {
          keep = row.values[active[j][0]].indexOf(active[j][1]) !== -1;
        }
        for (var k = 0; keep && k < wanted.length; k++) {
          keep = row.text.indexOf(wanted[k]) !== -1;
        }
        if (keep) matches.push(row);
      }
      return matches;
    }

    // Each order is worked out once (the keys once per column) and kept until the rows change.
    function sortedRows() {
      var sort = state.sort;
      var key = sort.column + (sort.ascending ? "+" : "-");
      if (!state.sorted) state.sorted = {};
      if (!state.sorted[key]) {
        state.sorted[key] = rows.slice().sort(function (a, b) {
          var x = a.sortKey(sort.column, sort.numeric);
          var y = b.sortKey(sort.column, sort.numeric);
          var order = x < y ? -1 : x > y ? 1 : 0;
          return (sort.ascending ? order : -order) || a.order - b.order;
        });
      }
      return state.sorted[key];
    }

    // The rows this table does not carry, from the complete list (the "Show all" link).
    function loadAll() {
      if (!state.loading) {
        var address = source.href;
        count.textContent = "Loading all " + plural(total, "model") + "…";
        state.loading = fetch(address)
          .then(function (response) {
            if (!response.ok) throw new Error(response.status);
            return response.text();
          })
          .then(function (html) {
            var page = new DOMParser().parseFromString(html, "text/html");
            var loaded = [];
            page.querySelectorAll(".ohm-compare tbody tr").forEach(function (element) {
              if (scope && (element.getAttribute("data-" + scope) || "").split("|").indexOf(scopeValue) === -1) {
                return;
              }
              element.querySelectorAll("a[href]").forEach(function (link) {
                link.setAttribute("href", new URL(link.getAttribute("href"), address).href);
              });
              loaded.push(new Row(document.adoptNode(element), loaded.length, names));
            });
            rows = loaded;
          })
          .catch(function () {
            state.failed = true;
          })
          .then(function () {
            state.complete = true;
            state.sorted = null;
          });
      }
      return state.loading;
    }

    function prepare(row) {
      if (!compareLink || row.choose) return;
      var box = document.createElement("input");
      box.type = "checkbox";
      box.className = "ohm-choose";
      box.setAttribute("aria-label", "Compare " + row.element.cells[0].textContent.trim());
      box.addEventListener("change", function () {
        var at = state.chosen.indexOf(row.id);
        if (box.checked && at === -1) state.chosen.push(row.id);
        if (!box.checked && at !== -1) state.chosen.splice(at, 1);
        showChosen();
      });
      row.element.cells[0].insertBefore(box, row.element.cells[0].firstChild);
      row.choose = box;
    }

    function showChosen() {
      if (!compareLink) return;
      var full = state.chosen.length >= MAX_CHOSEN;
      rows.forEach(function (row) {
        if (!row.choose) return;
        row.choose.checked = state.chosen.indexOf(row.id) !== -1;
        row.choose.disabled = full && !row.choose.checked;
      });
      chosenBar.hidden = state.chosen.length === 0;
      var url = new URL(compareAddress);
      url.search = "?models=" + state.chosen.map(encodeURIComponent).join(",");
      compareLink.href = url.href;
      compareLink.textContent =
        state.chosen.length < 2
          ? "Compare side by side (choose one more)"
          : "Compare " + state.chosen.length + " models side by side" + (full ? " (4 at most)" : "");
    }

    function update() {
      if (!state.complete && (narrowed() || state.sort || state.limit > rows.length)) {
        loadAll().then(update);
        return;
      }
      var matches = matching();
      var shown = matches.slice(0, state.limit);
      var fragment = document.createDocumentFragment();
      shown.forEach(function (row) {
        prepare(row);
        fragment.appendChild(row.element);
      });
      body.textContent = "";
      body.appendChild(fragment);
      showChosen();

      var filtered = narrowed();
      var text;
      if (shown.length < matches.length && filtered) {
        text = shown.length + " of " + matches.length + " matching models shown (" + total + " in all)";
      } else if (shown.length < matches.length || state.complete) {
        text = shown.length + " of " + plural(total, "model") + " shown";
      } else {
        text = shown.length + " of " + plural(total, "model") + " shown; the others load when you filter or sort";
      }
      if (state.failed) text += ". The other models could not be loaded: Show all opens the complete list";
      if (state.ignored.length) text += ". Ignored in the address: " + state.ignored.join(", ") + " (no such choice)";
      count.textContent = text + "." + state.note;
      state.note = "";
      if (empty) empty.hidden = matches.length > 0;
      if (more) {
        more.hidden = shown.length >= matches.length && state.complete && !state.failed;
        more.textContent = "Show all " + (filtered ? matches.length + " matching models" : plural(total, "model"));
      }
      if (toggle) {
        var active = choices().length;
        toggle.textContent = "Filters" + (active ? " (" + active + ")" : "");
      }
      if (form) {
        // Writing the address costs a frame's time in Chromium: once, after the typing stops.
        window.clearTimeout(state.addressTimer);
        state.addressTimer = window.setTimeout(writeAddress, 200);
      }
    }

    function readAddress() {
      var params = new URLSearchParams(window.location.search);
      if (search && params.has(SEARCH)) search.value = params.get(SEARCH);
      selects.forEach(function (select) {
        var value = params.get(select.name);
        if (value === null || value === "") return;
        var known = Array.prototype.some.call(select.options, function (option) {
          return option.value === value;
        });
        if (known) select.value = value;
        else state.ignored.push(select.name + "=" + value);
      });
    }

    function writeAddress() {
      var params = new URLSearchParams(window.location.search);
      if (search) {
        if (search.value) params.set(SEARCH, search.value);
        else params.delete(SEARCH);
      }
      selects.forEach(function (select) {
        if (select.value) params.set(select.name, select.value);
        else params.delete(select.name);
      });
      var query = params.toString();
      var address = window.location.pathname + (query ? "?" + query : "") + window.location.hash;
      window.history.replaceState(window.history.state, "", address);
    }

    function makeSortable() {
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
          state.sort = { column: column, ascending: ascending, numeric: kind === "number" };
          update();
        });
      });
      container.classList.add("ohm-compare--sortable");
    }

    function copyLink() {
      window.clearTimeout(state.addressTimer);
      writeAddress();
      var address = window.location.href;
      function copied() {
        state.note = " Link to this view copied.";
        update();
      }
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(address).then(copied, function () {
          window.prompt("Copy this link:", address);
        });
      } else {
        window.prompt("Copy this link:", address);
      }
    }

    function changed() {
      state.limit = Math.min(pageSize, state.limit);
      state.ignored = [];
      update();
    }

    makeSortable();
    var help = container.querySelector(".ohm-help");
    if (help) help.hidden = false;
    if (more) {
      more.addEventListener("click", function (event) {
        if (state.failed) return; // the link itself leads to the complete list
        event.preventDefault();
        state.limit = Infinity;
        update();
      });
    }
    if (form) {
      readAddress();
      form.hidden = false;
      form.addEventListener("input", changed); // typing, and a choice in a select
      form.addEventListener("submit", function (event) {
        event.preventDefault();
      });
      form.addEventListener("reset", function () {
        window.setTimeout(changed); // the controls are cleared after the event
      });
      var copy = form.querySelector(".ohm-copy");
      if (copy) copy.addEventListener("click", copyLink);
    }
    if (toggle) {
      toggle.addEventListener("click", function () {
        var open = toggle.getAttribute("aria-expanded") !== "true";
        toggle.setAttribute("aria-expanded", open ? "true" : "false");
        container.classList.toggle("ohm-compare--open", open);
      });
    }
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
