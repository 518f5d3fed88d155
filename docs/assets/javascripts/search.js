/*
 * The site's search: Material's search dialog over Pagefind's chunked index.
 *
 * The index (pagefind/ at the root of the site, written after the build by
 * ohm/search.py) is split into small fragments: the script loads Pagefind's
 * own module only when the reader starts typing, and a query then loads only
 * the chunks of its words and the excerpts of the results on show. Results
 * are drawn in Material's markup (li.md-search-result__item), so the theme's
 * look applies. Excerpts go in as text, with Pagefind's <mark> kept as
 * elements; nothing is loaded from other hosts.
 */
(function () {
  "use strict";

  var SHOWN = 10; // results drawn at once; Pagefind loads the excerpt of each
  // A word found whole counts for far more than a longer word it starts ("MedSAM" finds MedSAM's page
  // before MedSAM2's), a long page is hardly held against its matches, and a page's title counts as
  // its heading does (ohm/search.py weighs model pages' names and tags, and other pages less).
  var RANKING = { termSimilarity: 10.0, pageLength: 0.2, metaWeights: { title: 0 } };

  function siteRoot() {
    var config = document.getElementById("__config");
    var base = (config ? JSON.parse(config.textContent).base : ".") || ".";
    // "/" on the 404 page, which is served at any address; "." or "../.." elsewhere.
    return new URL(base.endsWith("/") ? base : base + "/", window.location.href);
  }

  // Pagefind's excerpt is HTML with <mark> around the words found: keep those, the rest as text.
  function excerpt(html) {
    var fragment = document.createDocumentFragment();
    var parsed = new DOMParser().parseFromString("<p>" + html + "</p>", "text/html").body;
    parsed.querySelectorAll("p").forEach(function (paragraph) {
      paragraph.childNodes.forEach(function (node) {
        if (node.nodeName === "MARK") {
          var mark = document.createElement("mark");
          mark.textContent = node.textContent;
          fragment.appendChild(mark);
        } else {
          fragment.appendChild(document.createTextNode(node.textContent));
        }
      });
    });
    return fragment;
  }

  function setUp(dialog) {
    if (dialog.hasAttribute("data-ready")) return;
    dialog.setAttribute("data-ready", "");
    var toggle = document.getElementById("__search");
    var input = dialog.querySelector(".md-search__input");
    var form = dialog.querySelector("form");
    var meta = dialog.querySelector(".md-search-result__meta");
    var list = dialog.querySelector(".md-search-result__list");
    var none = dialog.querySelector(".ohm-search-none");
    var filterBox = dialog.querySelector(".ohm-search-filters");
    var selects = dialog.querySelectorAll(".ohm-search-filters select");
    var root = siteRoot();
    var engine = null;
    var filtersLoaded = false;
    var latest = 0;
    var pending = []; // the results of the latest query not yet drawn, best first
    // Beyond the first results, the others on request: each loads only its own excerpt.
    var more = document.createElement("button");
    more.type = "button";
    more.className = "ohm-search-more md-button";
    more.hidden = true;
    list.parentNode.insertBefore(more, list.nextSibling);

    function draw(results, asked, replace) {
      return Promise.all(
        results.map(function (result) {
          return result.data();
        })
      ).then(function (pages) {
        if (asked !== latest) return false;
        if (replace) list.textContent = "";
        pages.forEach(function (data) {
          list.appendChild(item(data));
        });
        more.hidden = pending.length === 0;
        more.textContent = "Show " + Math.min(SHOWN, pending.length) + " more of " + pending.length;
        return true;
      });
    }

    // The pointers of an empty result lead into the site wherever the page is.
    dialog.querySelectorAll("a[data-path]").forEach(function (link) {
      link.href = new URL(link.getAttribute("data-path"), root).href;
    });

    function load() {
      if (!engine) {
        engine = import(new URL(dialog.getAttribute("data-index"), root).href).then(function (pagefind) {
          return pagefind.options({ baseUrl: root.pathname, ranking: RANKING }).then(function () {
            return pagefind;
          });
        });
      }
      return engine;
    }

    function item(data) {
      var li = document.createElement("li");
      li.className = "md-search-result__item";
      var link = document.createElement("a");
      link.className = "md-search-result__link";
      link.href = new URL(data.url, root).href;
      var article = document.createElement("article");
      article.className = "md-search-result__article md-typeset";
      var heading = document.createElement("h1");
      heading.textContent = (data.meta && data.meta.title) || data.url;
      var text = document.createElement("p");
      text.appendChild(excerpt(data.excerpt || ""));
      article.appendChild(heading);
      article.appendChild(text);
      link.appendChild(article);
      li.appendChild(link);
      return li;
    }

    // The values of the index's filters (commercial use, access) with their counts, loaded once,
    // after the first results, so that they never delay them.
    function loadFilters(pagefind) {
      if (filtersLoaded) return;
      filtersLoaded = true;
      pagefind.filters().then(function (filters) {
        selects.forEach(function (select) {
          var values = filters[select.getAttribute("data-filter")] || {};
          Object.keys(values)
            .sort()
            .forEach(function (value) {
              var option = document.createElement("option");
              option.value = value;
              option.textContent = value + " (" + values[value] + ")";
              select.appendChild(option);
            });
        });
        if (filterBox) filterBox.hidden = false;
      });
    }

    function chosenFilters() {
      var chosen = {};
      selects.forEach(function (select) {
        if (select.value) chosen[select.getAttribute("data-filter")] = select.value;
      });
      return chosen;
    }

    function search() {
      var query = input.value.trim();
      var asked = ++latest;
      if (!query) {
        list.textContent = "";
        pending = [];
        more.hidden = true;
        if (none) none.hidden = true;
        meta.textContent = "Type to start searching";
        return;
      }
      var engineLoaded = null;
      load()
        .then(function (pagefind) {
          engineLoaded = pagefind;
          return pagefind.search(query, { filters: chosenFilters() });
        })
        .then(function (found) {
          if (asked !== latest) return null;
          pending = found.results.slice(SHOWN);
          return draw(found.results.slice(0, SHOWN), asked, true).then(function (drawn) {
            if (!drawn) return;
            var count = found.results.length;
            meta.textContent =
              count === 0 ? "No matching documents" : count === 1 ? "1 matching document" : count + " matching documents";
            if (none) none.hidden = false; // below the results, or at once below "No matching documents"
            loadFilters(engineLoaded);
          });
        })
        .catch(function () {
          if (asked === latest) meta.textContent = "The search could not be loaded.";
        });
    }

    more.addEventListener("click", function () {
      var next = pending.slice(0, SHOWN);
      pending = pending.slice(SHOWN);
      draw(next, latest, false);
    });
    input.addEventListener("input", function () {
      if (toggle) toggle.checked = true; // typing opens the results; focus alone does not
      search();
    });
    input.addEventListener("focus", load);
    selects.forEach(function (select) {
      select.addEventListener("change", search);
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var first = list.querySelector("a");
      if (first) window.location.href = first.href;
    });
    form.addEventListener("reset", function () {
      window.setTimeout(search);
    });
    if (toggle) {
      toggle.addEventListener("change", function () {
        if (toggle.checked) input.focus();
      });
    }
    document.addEventListener("keydown", function (event) {
      var typing = /^(INPUT|TEXTAREA|SELECT)$/.test((event.target && event.target.tagName) || "");
      if (toggle && toggle.checked && event.key === "Escape") {
        toggle.checked = false;
        input.blur();
      } else if (toggle && !typing && (event.key === "/" || event.key === "s" || event.key === "f")) {
        event.preventDefault();
        toggle.checked = true;
        input.focus();
      }
    });
  }

  function setUpAll() {
    Array.prototype.forEach.call(document.querySelectorAll(".ohm-search"), setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUpAll);
  } else {
    setUpAll();
  }
})();
