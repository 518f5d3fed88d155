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
 * whose value of NAME ("|" separates several) is the chosen one, or, with
 * data-mode="at-least" / "at-most", comes at or after / at or before it in the
 * order of the select's options (evidence levels, GPU memory steps).
 *
 * The page holds the table's first rows. The first time the reader filters,
 * sorts or asks for all, every row of the table's scope is drawn from the
 * compact index (data-index, ohm/site/table_index.py): a few dozen bytes a
 * model, never the complete list. The words the search box looks through are
 * a second file (data-text-index), read when the reader first types; a query
 * finds the rows that have each of its words at the start of one of theirs,
 * so "NER" does not find "general", nor "commercial" "non-commercial".
 *
 * Rows live in an array, and the table body holds only the rows on show (at
 * most data-limit of them until "Show all"); a row's element is made when it
 * is first shown, so filtering and sorting cost little with thousands of
 * models. When nothing matches, the empty state names the filter that left
 * nothing and how many models each of its values would give.
 */
(function () {
  "use strict";

  var MAX_CHOSEN = 4;
  var SEARCH = "search"; // the address parameter of the search box

  // As `normalise` in ohm/site/table.py, which wrote the words a query is matched against.
  function normalise(text) {
    return text
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .replace(/\b(non|not)[\s-]+(?=[a-z0-9])/g, "$1")
      .replace(/[^a-z0-9]+/g, " ")
      .trim();
  }

  var ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

  // One column of the index: each model's value, by position.
  function decode(column) {
    var positions = column.i;
    var values = new Array(positions.length);
    for (var i = 0; i < positions.length; i++) {
      var at = typeof positions === "string" ? ALPHABET.indexOf(positions.charAt(i)) : positions[i];
      values[i] = column.d[at];
    }
    return values;
  }

  function plural(count, noun) {
    return count + " " + noun + (count === 1 ? "" : "s");
  }

  // A row of the table: from the page (`element` given) or from the index (`index`, its position).
  function Row(element, order, names, index, position) {
    this.element = element;
    this.order = order;
    this.position = position;
    this.values = {};
    this.keys = {}; // sort keys by column, read when the column is first sorted
    if (element) {
      this.id = element.id.replace(/^row-/, "");
      for (var i = 0; i < names.length; i++) {
        this.values[names[i]] = (element.getAttribute("data-" + names[i]) || "").split("|");
      }
    } else {
      this.id = index.id[position];
      this.index = index;
      for (var name in index.filters) this.values[name] = index.filters[name][position].split("|");
      // "Archived upstream" filters like the others; the index carries it as its own column.
      if (index.archived) this.values.archived = [index.archived[position]];
    }
  }

  // Text sorts without regard to case or accents, and numbers in it by value ("Model 9" before
  // "Model 10"): digits are padded, so plain comparison of the keys gives that order, and
  // quickly, which matters with thousands of rows.
  function textKey(text) {
    return text
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .replace(/\d+/g, function (digits) {
        return digits.padStart(15, "0");
      });
  }

  Row.prototype.sortKey = function (column, numeric) {
    if (!(column in this.keys)) {
      var value;
      if (this.index) {
        value = column === 0 ? this.index.name[this.position] : numeric
          ? this.index.cells[column - 1].sort[this.position]
          : this.index.cells[column - 1].text[this.position];
      } else {
        var cell = this.element.cells[column];
        value = cell.getAttribute("data-sort-value");
        if (value === null) value = cell.textContent;
      }
      this.keys[column] = numeric ? Number(value) : textKey(value);
    }
    return this.keys[column];
  };

  // The row's element, made from the index the first time it is shown. `columns`: each heading's
  // class and label, as the page's rows have them.
  Row.prototype.draw = function (columns, modelPage) {
    if (this.element) return this.element;
    var index = this.index;
    var at = this.position;
    var tr = document.createElement("tr");
    tr.id = "row-" + this.id;
    for (var name in this.values) tr.setAttribute("data-" + name, this.values[name].join("|"));
    if (index.archived) tr.setAttribute("data-archived", index.archived[at]);
    var th = document.createElement("th");
    th.scope = "row";
    th.className = columns[0].className;
    th.setAttribute("data-label", columns[0].label);
    var link = document.createElement("a");
    link.href = modelPage(this.id);
    link.textContent = index.name[at];
    th.appendChild(link);
    if (index.archived && index.archived[at] === "yes") {
      var archived = document.createElement("span");
      archived.className = "ohm-archived";
      archived.textContent = "archived";
      th.appendChild(document.createTextNode(" "));
      th.appendChild(archived);
    }
    tr.appendChild(th);
    for (var c = 1; c < columns.length; c++) {
      var td = document.createElement("td");
      td.className = columns[c].className;
      td.setAttribute("data-label", columns[c].label);
      var text = index.cells[c - 1].text[at];
      if (columns[c].className === "ohm-col-use") {
        td.setAttribute("data-sort-value", index.cells[c - 1].sort[at]);
        var badge = document.createElement("span");
        badge.className = "ohm-use ohm-use--" + this.values.use[0];
        badge.textContent = text;
        var reason = document.createElement("small");
        reason.className = "ohm-reason";
        reason.textContent = index.reasons[at];
        td.appendChild(badge);
        td.appendChild(document.createTextNode(" "));
        td.appendChild(reason);
      } else if (columns[c].className === "ohm-col-verified") {
        var time = document.createElement("time");
        time.setAttribute("datetime", text);
        time.textContent = text;
        td.appendChild(time);
      } else {
        td.textContent = text;
      }
      tr.appendChild(td);
    }
    this.element = tr;
    return tr;
  };

  // The index as rows read it: each column decoded once.
  function readIndex(data) {
    var index = { id: data.id, name: data.name, filters: {}, cells: [], reasons: decode(data.r) };
    for (var name in data.f) index.filters[name] = decode(data.f[name]);
    data.c.forEach(function (column) {
      var text = decode(column);
      var sort = null;
      if (column.s) {
        var rank = {};
        column.d.forEach(function (value, at) {
          rank[value] = column.s[at];
        });
        sort = text.map(function (value) {
          return rank[value];
        });
      }
      index.cells.push({ text: text, sort: sort });
    });
    if (data.a) index.archived = decode(data.a);
    return index;
  }

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
    var here = window.location.href;
    var pagePattern = container.getAttribute("data-model-page");
    function modelPage(id) {
      return new URL(pagePattern.replace("{id}", encodeURIComponent(id)), here).href;
    }
    var columns = Array.prototype.map.call(table.tHead.rows[0].cells, function (heading) {
      return { className: heading.className, label: heading.textContent.trim() };
    });

    var rows = Array.prototype.slice.call(body.rows).map(function (element, index) {
      return new Row(element, index, names);
    });
    var state = {
      index: null, // loading or loaded: the rows of the table's scope, from the index
      indexed: false,
      text: null, // loading or loaded: the search words of every model, by position
      words: null,
      failed: false,
      limit: rows.length, // how many matching rows are on show
      sort: null, // {column, ascending, numeric}
      sorted: null, // the rows in that order
      ignored: [], // "name=value" from the address that matched no choice
      chosen: [],
      note: "",
      addressTimer: null,
    };

    function json(attribute) {
      return fetch(new URL(container.getAttribute(attribute), here).href).then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      });
    }

    // What narrows the table: one constraint a chosen filter, and one for the search words.
    function constraints() {
      var active = [];
      selects.forEach(function (select) {
        if (!select.value) return;
        var mode = select.getAttribute("data-mode");
        var order = mode
          ? Array.prototype.map.call(select.options, function (option) {
              return option.value;
            })
          : null;
        active.push({ select: select, name: select.name, value: select.value, mode: mode, order: order });
      });
      var wanted = words();
      if (wanted.length) active.push({ words: wanted });
      return active;
    }

    function words() {
      var text = search ? normalise(search.value) : "";
      return text ? text.split(" ") : [];
    }

    function narrowed() {
      return constraints().length > 0;
    }

    function passes(row, constraint, value) {
      if (constraint.words) {
        var text = " " + (state.words ? state.words[row.position] : "");
        for (var k = 0; k < constraint.words.length; k++) {
          if (text.indexOf(" " + constraint.words[k]) === -1) return false;
        }
        return true;
      }
      var values = row.values[constraint.name] || [];
      if (value === undefined) value = constraint.value;
      if (!constraint.mode) return values.indexOf(value) !== -1;
      var wanted = constraint.order.indexOf(value);
      var has = constraint.order.indexOf(values[0]);
      if (has <= 0) return false; // unknown, or not in the order
      return constraint.mode === "at-least" ? has >= wanted : has <= wanted;
    }

    function tally(active, except, value) {
      var found = 0;
      for (var i = 0; i < rows.length; i++) {
        var keep = true;
        for (var j = 0; keep && j < active.length; j++) {
          keep = active[j] === except ? value === undefined || passes(rows[i], except, value) : passes(rows[i], active[j]);
        }
        if (keep) found++;
      }
      return found;
    }

    function matching() {
      var active = constraints();
      var ordered = state.sort ? sortedRows() : rows;
      var matches = [];
      for (var i = 0; i < ordered.length; i++) {
        var keep = true;
        for (var j = 0; keep && j < active.length; j++) keep = passes(ordered[i], active[j]);
        if (keep) matches.push(ordered[i]);
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

    // Every row of the table's scope, from the compact index.
    function loadIndex() {
      if (!state.index) {
        count.textContent = "Loading all " + plural(total, "model") + "…";
        state.index = json("data-index")
          .then(function (data) {
            var index = readIndex(data);
            var loaded = [];
            var shown = {};
            rows.forEach(function (row) {
              shown[row.id] = row;
            });
            for (var at = 0; at < index.id.length; at++) {
              var values = index.filters[scope];
              if (scope && values && values[at].split("|").indexOf(scopeValue) === -1) continue;
              var row = new Row(null, loaded.length, names, index, at);
              var page = shown[row.id];
              if (page) {
                // The page's own element, which may carry a checkbox already.
                row.element = page.element;
                row.choose = page.choose;
              }
              loaded.push(row);
            }
            rows = loaded;
            state.indexed = true;
            state.sorted = null;
          })
          .catch(function () {
            state.failed = true;
          });
      }
      return state.index;
    }

    function loadWords() {
      if (!state.text) {
        count.textContent = "Loading the words of all " + plural(total, "model") + "…";
        state.text = json("data-text-index").then(
          function (words) {
            state.words = words;
          },
          function () {
            state.failed = true;
          }
        );
      }
      return state.text;
    }

    // Nothing matches: which constraint left nothing, and what each of its values would give.
    function explainEmpty(active) {
      empty.textContent = "";
      var culprit = null;
      var without = -1;
      active.forEach(function (constraint) {
        var found = tally(active, constraint);
        if (found >= without) {
          culprit = constraint;
          without = found;
        }
      });
      var lead = document.createElement("p");
      empty.appendChild(lead);
      if (!culprit || without === 0) {
        lead.textContent = "No model matches these filters together. Clear a filter to see more.";
        return;
      }
      if (culprit.words) {
        lead.textContent =
          "No model matches the search “" + search.value.trim() + "” with these filters. Without the search, " +
          plural(without, "model") + " would match; each word must start a word of a model's name, developer, task, use case or licence.";
        return;
      }
      var label = form.querySelector("label[for='" + culprit.select.id + "']").textContent.trim();
      var chosen = culprit.select.options[culprit.select.selectedIndex].textContent.trim();
      lead.textContent =
        "No model matches: the filter " + label + " “" + chosen + "” leaves none. With the other filters as they are, its choices would give:";
      var list = document.createElement("ul");
      list.className = "ohm-empty-counts";
      Array.prototype.forEach.call(culprit.select.options, function (option) {
        var found = tally(active, culprit, option.value || undefined);
        var item = document.createElement("li");
        var button = document.createElement("button");
        button.type = "button";
        button.className = "ohm-empty-choice";
        button.textContent = option.textContent + ": " + plural(found, "model");
        button.disabled = found === 0;
        button.addEventListener("click", function () {
          culprit.select.value = option.value;
          changed();
        });
        item.appendChild(button);
        list.appendChild(item);
      });
      empty.appendChild(list);
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
      var interacted = narrowed() || state.sort || state.limit > rows.length;
      if (!state.indexed && !state.failed && interacted) {
        loadIndex().then(update);
        return;
      }
      if (words().length && !state.words && !state.failed) {
        loadWords().then(update);
        return;
      }
      var matches = matching();
      var shown = matches.slice(0, state.limit);
      var fragment = document.createDocumentFragment();
      shown.forEach(function (row) {
        row.draw(columns, modelPage);
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
      } else if (shown.length < matches.length || state.indexed || rows.length >= total) {
        text = shown.length + " of " + plural(total, "model") + " shown";
      } else {
        text = shown.length + " of " + plural(total, "model") + " shown; the others load when you filter or sort";
      }
      if (state.failed) text += ". The table's data could not be loaded: Show all opens the complete list";
      if (state.ignored.length) text += ". Ignored in the address: " + state.ignored.join(", ") + " (no such choice)";
      count.textContent = text + "." + state.note;
      state.note = "";
      if (empty) {
        empty.hidden = matches.length > 0;
        if (!matches.length) explainEmpty(constraints());
      }
      if (more) {
        more.hidden = shown.length >= matches.length && (state.indexed || rows.length >= total) && !state.failed;
        more.textContent = "Show all " + (filtered ? matches.length + " matching models" : plural(total, "model"));
      }
      if (toggle) {
        var active = constraints().filter(function (c) {
          return !c.words;
        }).length;
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
