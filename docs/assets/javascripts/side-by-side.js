/*
 * The side-by-side comparison of two to four models (templates/compare.md.j2).
 *
 * The chosen ids are in the address (?models=whisper,medsam), so a comparison
 * can be shared. The facts come from each chosen model's own record
 * (models/<id>.json, the same as in models.json) and the catalogue's vocabulary
 * (models/_catalogue.json): the page loads what it shows, not the catalogue.
 * The list of every model's name (models/_names.json), for adding one, is
 * loaded only when the reader turns to the form. The container's data-
 * attributes name these files, relative to the site's root, which is where the
 * models.json link leads; nothing is loaded from other hosts. FACTS lists what can be compared, each
 * read from one field of a model; a fact is shown when at least one chosen
 * model has it, so fields the catalogue gains later appear by themselves.
 * All text goes in as text, never as markup.
 */
(function () {
  "use strict";

  var MAX = 4;
  var PARAMETER = "models";
  var USE = { allowed: "Allowed", restricted: "Restricted", unclear: "Unclear", "not-allowed": "Not allowed" };

  // What a fact's reader may return: nothing (null, "", []), text, a link {text, href},
  // a list of those, or {use} for a commercial-use badge.
  function words(value) {
    if (value === null || value === undefined || value === "") return null;
    if (value === true) return "Yes";
    if (value === false) return "No";
    var text = String(value).replace(/-/g, " ");
    return text.charAt(0).toUpperCase() + text.slice(1);
  }

  function list(values, each) {
    if (values === "unknown") return "Unknown";
    if (!Array.isArray(values)) return null;
    return values.map(each || String).filter(Boolean);
  }

  function licence(data, value) {
    if (!value) return null;
    var id = typeof value === "string" ? value : value.id;
    if (id === "unknown" || id === "mixed") {
      return words(id) + (value.note ? ": " + value.note : "");
    }
    var known = data.licensesById[id] || {};
    var name = value.name || known.name || id;
    var link = { text: name, href: value.url || known.url };
    return value.note ? [link, value.note] : link;
  }

  function entry(data, id) {
    var model = data.modelsById[id];
    if (model) return { text: model.name, href: data.page(model) };
    if (/^https:\/\//.test(id || "")) return { text: id, href: id };
    return words(id);
  }

  var FACTS = [
    ["Developer", function (m) { return m.developer; }],
    ["Category", function (m, data) {
      var category = data.categoriesById[m.category];
      if (!category) return m.category;
      var sub = (category.subcategories || []).filter(function (s) { return s.id === m.subcategory; })[0];
      return category.title + (sub ? " › " + sub.title : "");
    }],
    ["Kind", function (m) { return words(m.kind); }],
    ["Commercial use", function (m) { return m.commercial_use ? { use: m.commercial_use } : null; }],
    ["Condition on commercial use", function (m) { return m.commercial_use_note; }],
    ["Licence of the weights", function (m, data) { return m.licenses && licence(data, m.licenses.weights); }],
    ["Licence of the code", function (m, data) { return m.licenses && licence(data, m.licenses.code); }],
    ["Licence of the training data", function (m, data) {
      return m.licenses && licence(data, m.licenses.training_data);
    }],
    ["Access", function (m) { return words(m.access); }],
    ["How to get access", function (m) { return m.access_note; }],
    ["Evidence", function (m) { return words(m.evidence_level); }],
    ["Evaluations", function (m) {
      return list(m.evaluations, function (e) {
        var text = [e.benchmark, e.metric, e.value].filter(Boolean).join(" ");
        if (e.self_reported) text += " (reported by the developer)";
        return e.source ? { text: text, href: e.source } : text;
      });
    }],
    ["Regulatory status", function (m) {
      if (typeof m.regulatory === "string") return words(m.regulatory);
      return list(m.regulatory, function (r) {
        return [r.jurisdiction, r.status, r.reference].filter(Boolean).join(": ");
      });
    }],
    ["Patient data in training", function (m) { return words(m.phi_exposure); }],
    ["Training data", function (m) {
      return list(m.training_data, function (d) {
        return d.url ? { text: d.name, href: d.url } : d.name;
      });
    }],
    ["Runs offline", function (m) { return m.deployment && words(m.deployment.runs_offline); }],
    ["Runs on a CPU alone", function (m) { return m.deployment && words(m.deployment.cpu_only); }],
    ["Least GPU memory", function (m) {
      var gb = m.deployment && m.deployment.min_gpu_memory_gb;
      return typeof gb === "number" ? gb + " GB" : words(gb);
    }],
    ["Formats", function (m) { return m.deployment && list(m.deployment.formats); }],
    ["Based on", function (m, data) { return m.base_model && entry(data, m.base_model); }],
    ["Superseded by", function (m, data) { return m.superseded_by && entry(data, m.superseded_by); }],
    ["Variants", function (m) {
      return list(m.variants, function (v) {
        var text = v.name + (v.parameters ? " (" + v.parameters + ")" : "");
        return v.model_card ? { text: text, href: v.model_card } : text;
      });
    }],
    ["Sizes", function (m) { return list(m.parameters); }],
    ["Modalities", function (m) { return list(m.modalities); }],
    ["Imaging modalities", function (m) { return list(m.imaging_modalities); }],
    ["Anatomy", function (m) { return list(m.anatomy); }],
    ["Languages", function (m) { return list(m.languages); }],
    ["Tasks", function (m, data) {
      return list(m.tasks, function (id) { return (data.tasksById[id] || { title: id }).title; });
    }],
    ["Intended users", function (m) { return list(m.intended_users); }],
    ["Out of scope", function (m) { return list(m.out_of_scope); }],
    ["Caveats", function (m) { return list(m.caveats); }],
    ["Last verified", function (m) { return m.verified; }],
    ["Links", function (m) {
      var links = m.links || {};
      return Object.keys(links).map(function (kind) {
        return { text: words(kind.replace(/_/g, " ")), href: links[kind] };
      });
    }],
  ];

  function present(value) {
    return !(value === null || value === undefined || value === "" || (Array.isArray(value) && !value.length));
  }

  function show(value) {
    if (Array.isArray(value)) {
      var items = document.createElement("ul");
      value.forEach(function (item) {
        var li = document.createElement("li");
        li.appendChild(show(item));
        items.appendChild(li);
      });
      return items;
    }
    if (value && value.use) {
      var badge = document.createElement("span");
      badge.className = "ohm-use ohm-use--" + value.use;
      badge.textContent = USE[value.use] || value.use;
      return badge;
    }
    if (value && value.text !== undefined) {
      if (!value.href) return document.createTextNode(value.text);
      var link = document.createElement("a");
      link.href = value.href;
      link.textContent = value.text;
      return link;
    }
    return document.createTextNode(String(value));
  }

  function index(items) {
    var byId = Object.create(null); // no inherited names: ?models=__proto__ names no model
    (items || []).forEach(function (item) {
      byId[item.id] = item;
    });
    return byId;
  }

  function setUp(container) {
    if (container.hasAttribute("data-ready")) return;
    container.setAttribute("data-ready", "");
    var form = container.querySelector(".ohm-side-choose");
    var select = form.querySelector("select");
    var status = container.querySelector(".ohm-side-status");
    var result = container.querySelector(".ohm-side-result");
    // The site's root: models.json is published there.
    var root = new URL(".", container.querySelector("a.ohm-side-data").href).href;
    var chosen = [];
    var notes = [];
    var data;
    var names = null; // loading or loaded: every model's [id, name], by name

    function json(path) {
      return fetch(new URL(path, root).href).then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      });
    }

    function record(id) {
      return json(container.getAttribute("data-model").replace("{id}", encodeURIComponent(id)));
    }

    function say(text) {
      status.textContent = text;
    }

    function writeAddress() {
      var params = new URLSearchParams(window.location.search);
      if (chosen.length) params.set(PARAMETER, chosen.join(","));
      else params.delete(PARAMETER);
      var query = params.toString().replace(/%2C/g, ",");
      window.history.replaceState(window.history.state, "", window.location.pathname + (query ? "?" + query : ""));
    }

    function render() {
      var models = chosen.map(function (id) {
        return data.modelsById[id];
      });
      result.textContent = "";
      Array.prototype.forEach.call(select.options, function (option) {
        option.disabled = chosen.indexOf(option.value) !== -1;
      });
      form.querySelector("button[type=submit]").disabled = chosen.length >= MAX;
      var message =
        chosen.length >= 2
          ? "Comparing " + models.map(function (m) { return m.name; }).join(", ") + "."
          : chosen.length === 1
            ? "Add at least one more model to compare with " + models[0].name + "."
            : "Choose two to four models to compare.";
      if (chosen.length >= MAX) message += " Four is the most: remove one to add another.";
      say(message + notes.join(""));
      notes = [];
      writeAddress();
      if (!models.length) return;

      var table = document.createElement("table");
      table.className = "ohm-side-table"; // styled here, not by Material's rules for plain tables
      var caption = table.createCaption();
      caption.textContent = "Side by side: " + models.map(function (m) { return m.name; }).join(", ");
      var head = table.createTHead().insertRow();
      var corner = document.createElement("td");
      head.appendChild(corner);
      models.forEach(function (model) {
        var th = document.createElement("th");
        th.scope = "col";
        th.appendChild(show({ text: model.name, href: data.page(model) }));
        th.appendChild(document.createElement("br"));
        var remove = document.createElement("button");
        remove.type = "button";
        remove.className = "md-button";
        remove.textContent = "Remove";
        remove.setAttribute("aria-label", "Remove " + model.name);
        remove.addEventListener("click", function () {
          chosen.splice(chosen.indexOf(model.id), 1);
          render();
          select.focus();
        });
        th.appendChild(remove);
        head.appendChild(th);
      });
      var body = table.createTBody();
      FACTS.forEach(function (fact) {
        var values = models.map(function (model) {
          return fact[1](model, data);
        });
        if (!values.some(present)) return;
        var row = body.insertRow();
        var th = document.createElement("th");
        th.scope = "row";
        th.textContent = fact[0];
        row.appendChild(th);
        values.forEach(function (value) {
          var cell = row.insertCell();
          cell.appendChild(present(value) ? show(value) : document.createTextNode("Not recorded"));
        });
      });
      var scroll = document.createElement("div");
      scroll.className = "ohm-side-scroll";
      scroll.tabIndex = 0; // the table may scroll sideways: keyboard users can scroll it too
      scroll.setAttribute("role", "region");
      scroll.setAttribute("aria-label", "Comparison, one column per model");
      scroll.appendChild(table);
      result.appendChild(scroll);
    }

    // Every model's name for the "Add a model" list, read once the reader turns to the form.
    function loadNames() {
      if (names) return;
      names = json(container.getAttribute("data-names")).then(function (pairs) {
        var picked = select.value;
        select.length = 1; // the "Choose a model" line
        pairs.forEach(function (pair) {
          select.appendChild(new Option(pair[1], pair[0]));
        });
        select.value = picked;
        render();
      });
    }

    // The records of the models the address names, and of the entries they are based on or
    // superseded by (to name and link them); an id without a record is not in the catalogue.
    function loadRecords(ids) {
      return Promise.all(
        ids.map(function (id) {
          return record(id).then(
            function (model) {
              data.modelsById[model.id] = model;
            },
            function () {}
          );
        })
      );
    }

    function related() {
      var ids = [];
      chosen.forEach(function (id) {
        var model = data.modelsById[id];
        [model.base_model, model.superseded_by].forEach(function (other) {
          var id = /^[a-z0-9]+(-[a-z0-9]+)*$/.test(other || "") && other !== "none" && other !== "unknown";
          if (id && !data.modelsById[other] && ids.indexOf(other) === -1) ids.push(other);
        });
      });
      return ids;
    }

    function add(id) {
      return loadRecords([id]).then(function () {
        if (data.modelsById[id] && chosen.indexOf(id) === -1 && chosen.length < MAX) chosen.push(id);
        return loadRecords(related());
      });
    }

    function start(head) {
      data = head;
      data.modelsById = Object.create(null); // no inherited names: ?models=__proto__ names no model
      data.licensesById = index(head.licenses);
      data.categoriesById = index(head.categories);
      data.tasksById = index(head.tasks);
      data.page = function (model) {
        return new URL(model.page, root).href;
      };
      var asked = [];
      (new URLSearchParams(window.location.search).get(PARAMETER) || "").split(",").forEach(function (id) {
        id = id.trim();
        if (id && asked.indexOf(id) === -1) asked.push(id);
      });
      return loadRecords(asked).then(function () {
        var unknown = [];
        var dropped = [];
        asked.forEach(function (id) {
          if (!data.modelsById[id]) unknown.push(id);
          else if (chosen.length >= MAX) dropped.push(id);
          else chosen.push(id);
        });
        if (unknown.length) notes.push(" Not in the catalogue: " + unknown.join(", ") + ".");
        if (dropped.length) notes.push(" Four is the most, so these were left out: " + dropped.join(", ") + ".");
        chosen.forEach(function (id) {
          select.appendChild(new Option(data.modelsById[id].name, id));
        });
        return loadRecords(related());
      }).then(function () {
        form.hidden = false;
        ["focusin", "pointerdown", "pointerenter"].forEach(function (event) {
          form.addEventListener(event, loadNames);
        });
        form.addEventListener("submit", function (event) {
          event.preventDefault();
          var id = select.value;
          if (id && chosen.indexOf(id) === -1 && chosen.length < MAX) {
            select.value = "";
            add(id).then(render);
          }
        });
        form.querySelector(".ohm-copy").addEventListener("click", function () {
          var address = window.location.href;
          if (navigator.clipboard && navigator.clipboard.writeText) {
            navigator.clipboard.writeText(address).then(
              function () {
                say(status.textContent + " Link to this comparison copied.");
              },
              function () {
                window.prompt("Copy this link:", address);
              }
            );
          } else {
            window.prompt("Copy this link:", address);
          }
        });
        render();
      });
    }

    say("Loading the catalogue…");
    json(container.getAttribute("data-catalogue"))
      .then(start)
      .catch(function () {
        say("The catalogue could not be loaded, so nothing can be compared.");
      });
  }

  function setUpAll() {
    Array.prototype.forEach.call(document.querySelectorAll(".ohm-side"), setUp);
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(setUpAll);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUpAll);
  } else {
    setUpAll();
  }
})();
