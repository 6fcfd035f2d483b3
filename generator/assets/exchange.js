/* The Exchange's progressive enhancements. Every page works without this file:
   - library pages: the filter links become checkboxes that filter instantly (from library.json), and each view
     chosen has an address of its own (the library's, with ?kind=...&theme=...), which back and forward return to;
   - every page: the header's search box goes to the site's search page, which answers as one types (without
     JavaScript it goes to the app's page of results); Material's drawer and search start closed after a reload.
   The search page has its own script, assets/search.js. */
(function () {
  "use strict";

  var SHOWN_AT_ONCE = 50; // as many as a listing page holds; "Show more" adds as many again
  // The singular names of the kinds, as generator/content/kinds.py has them (library.json carries ids only).
  var KIND_LABELS = {
    "case-study": "Case study", guidance: "Guidance", tool: "Tool",
    training: "Training", data: "Performance data", support: "Support offer"
  };

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function enhanceLibrary(nav) {
    var libraryUrl = nav.getAttribute("data-library");
    var results = document.getElementById("tie-results");
    var showing = document.getElementById("tie-showing");
    if (!libraryUrl || !results || !showing || !window.fetch) return;
    var absolute = new URL(libraryUrl, document.baseURI);
    var root = new URL(".", absolute).href; // library.json sits at the site root; its urls are root-relative
    var original = { results: results.innerHTML, showing: showing.textContent };
    var data = null; // fetched on the first change: a visitor who never filters never downloads it
    var libraryPath = new URL(nav.querySelector("a[data-all]").href).pathname; // read before the links give way
    var form = buildForm(nav);
    var matches = [];
    var shown = 0;
    // The view a filter page starts with (its own value ticked) has the page's own address; any other view's
    // address is the library's with the filters chosen, so it can be shared, bookmarked and gone back to.
    var own = wanted();
    var ownPath = location.pathname;

    function load() {
      if (!data) {
        data = fetch(absolute.href, { credentials: "same-origin" }).then(function (r) {
          return r.ok ? r.json() : Promise.reject(new Error("library.json: " + r.status));
        });
      }
      return data;
    }

    function wanted() {
      var chosen = {};
      form.querySelectorAll("input:checked").forEach(function (box) {
        (chosen[box.name] = chosen[box.name] || []).push(box.value);
      });
      return chosen;
    }

    function item(r) {
      return '<li class="tie-item"><a href="' + escapeHtml(new URL(r.url.replace(/^\//, ""), root).href) + '">' +
        escapeHtml(r.title) + '</a> <span class="tie-item__kind">' + escapeHtml(KIND_LABELS[r.kind] || r.kind) +
        "</span><p>" + escapeHtml(r.summary) + "</p></li>";
    }

    function showMore(moveFocus) {
      var next = matches.slice(shown, shown + SHOWN_AT_ONCE);
      var list = results.querySelector("ul.tie-list");
      list.insertAdjacentHTML("beforeend", next.map(item).join(""));
      var first = list.children[shown];
      shown += next.length;
      var more = results.querySelector(".tie-more");
      if (more && shown >= matches.length) more.remove();
      if (first && moveFocus) first.querySelector("a").focus(); // keyboard users carry on from the first new result
    }

    function same(a, b) {
      return JSON.stringify(a) === JSON.stringify(b);
    }

    function address(chosen) {
      if (Object.keys(own).length && same(chosen, own)) return ownPath;
      var params = new URLSearchParams();
      form.querySelectorAll("input:checked").forEach(function (box) { params.append(box.name, box.value); });
      var query = params.toString();
      return libraryPath + (query ? "?" + query : "");
    }

    // The filters an address asks for: its query's, or on a filter page's own address without one, the page's value.
    function fromAddress() {
      var params = new URLSearchParams(location.search);
      var any = false;
      form.querySelectorAll("input[type=checkbox]").forEach(function (box) { any = any || params.has(box.name); });
      form.querySelectorAll("input[type=checkbox]").forEach(function (box) {
        box.checked = any ? params.getAll(box.name).indexOf(box.value) >= 0 : location.pathname === ownPath && (own[box.name] || []).indexOf(box.value) >= 0;
      });
    }

    function apply() {
      var chosen = wanted();
      if (location.pathname === ownPath && same(chosen, own)) { // the page as it was built
        results.innerHTML = original.results;
        showing.textContent = original.showing;
        return;
      }
      load().then(function (library) {
        chosen = wanted(); // the boxes may have changed while library.json arrived
        matches = library.resources.filter(function (r) {
          return Object.keys(chosen).every(function (facet) {
            var have = facet === "kind" ? [r.kind] : r[facet] || [];
            return chosen[facet].some(function (v) { return have.indexOf(v) >= 0; });
          });
        });
        shown = 0;
        results.innerHTML = '<ul class="tie-list"></ul>' +
          (matches.length > SHOWN_AT_ONCE ? '<p><button type="button" class="md-button tie-more">Show more results</button></p>' : "");
        var more = results.querySelector(".tie-more");
        if (more) more.addEventListener("click", function () { showMore(true); });
        showMore(false);
        showing.textContent = matches.length === 1 ? "Showing 1 resource." : "Showing " + matches.length + " resources.";
      }, function () {
        showing.textContent = "The filters could not load just now. Reload the page to try again.";
      });
    }

    form.addEventListener("change", function () {
      var next = address(wanted());
      if (next !== location.pathname + location.search) history.pushState(null, "", next); // each change can be gone back from
      apply();
    });
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    window.addEventListener("popstate", function () { fromAddress(); apply(); });
    if (location.search) { fromAddress(); if (!same(wanted(), own)) apply(); } // an address with filters shows their view
  }

  function buildForm(nav) {
    var form = document.createElement("form");
    form.className = "tie-filters__form";
    nav.querySelectorAll(".tie-facet").forEach(function (group) {
      var facet = group.getAttribute("data-facet");
      var fieldset = document.createElement("fieldset");
      var legend = document.createElement("legend");
      legend.textContent = group.querySelector("h2").textContent;
      fieldset.appendChild(legend);
      group.querySelectorAll("a[data-value]").forEach(function (link) {
        var label = document.createElement("label");
        var box = document.createElement("input");
        box.type = "checkbox";
        box.id = "tie-f-" + facet + "-" + link.getAttribute("data-value");
        box.name = facet;
        box.value = link.getAttribute("data-value");
        box.checked = link.getAttribute("aria-current") === "page";
        label.htmlFor = box.id;
        label.appendChild(box);
        label.appendChild(document.createTextNode(link.firstChild.textContent.trim()));
        fieldset.appendChild(label);
      });
      form.appendChild(fieldset);
    });
    nav.replaceChildren(form);
    return form;
  }

  // Without JavaScript the header's search box goes to the app's page of results; with it, to the search page.
  function enhanceHeaderSearch(form) {
    var page = form.getAttribute("data-search-page");
    if (page && window.fetch && window.URLSearchParams) form.action = new URL(page, document.baseURI).href;
  }

  function start() {
    var nav = document.querySelector(".tie-filters[data-library]");
    if (nav) enhanceLibrary(nav);
    var search = document.querySelector("form.tie-header-search");
    if (search) enhanceHeaderSearch(search);
  }

  // Material marks its drawer and search checkboxes autocomplete="off", so that Firefox does not tick them again
  // when a page is reloaded; HTML allows the attribute only on text-like inputs, so generator/overrides/base.html
  // drops it and this unticks them instead, before Material's own script reads them.
  ["__drawer", "__search"].forEach(function (id) {
    var box = document.getElementById(id);
    if (box) box.checked = false;
  });

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
