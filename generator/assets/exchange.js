/* The Exchange's progressive enhancements. Every page works without this file:
   - library pages: the filter links become checkboxes that filter instantly (from library.json);
   - the search page: Pagefind's search box, with filters by kind, theme and route. */
(function () {
  "use strict";

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function siteRoot(libraryUrl) {
    // library.json sits at the site root; resource urls in it are root-relative to that.
    return new URL(".", new URL(libraryUrl, document.baseURI)).href;
  }

  function enhanceLibrary(nav) {
    var libraryUrl = nav.getAttribute("data-library");
    var results = document.getElementById("tie-results");
    var showing = document.getElementById("tie-showing");
    if (!libraryUrl || !results || !window.fetch) return;
    fetch(libraryUrl, { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(function (data) { buildFilters(nav, data, results, showing, siteRoot(libraryUrl)); })
      .catch(function () { /* the plain links still work */ });
  }

  function buildFilters(nav, data, results, showing, root) {
    var form = document.createElement("form");
    form.className = "tie-filters__form";
    form.setAttribute("role", "search");
    form.setAttribute("aria-label", "Filter the library");
    nav.querySelectorAll(".tie-facet").forEach(function (group) {
      var facet = group.getAttribute("data-facet");
      var fieldset = document.createElement("fieldset");
      var legend = document.createElement("legend");
      legend.textContent = group.querySelector("h2").textContent;
      fieldset.appendChild(legend);
      group.querySelectorAll("a[data-value]").forEach(function (link) {
        var id = "tie-f-" + facet + "-" + link.getAttribute("data-value");
        var label = document.createElement("label");
        var box = document.createElement("input");
        box.type = "checkbox";
        box.id = id;
        box.name = facet;
        box.value = link.getAttribute("data-value");
        box.checked = link.getAttribute("aria-current") === "page";
        label.htmlFor = id;
        label.appendChild(box);
        label.appendChild(document.createTextNode(" " + link.firstChild.textContent.trim()));
        fieldset.appendChild(label);
      });
      form.appendChild(fieldset);
    });
    nav.replaceChildren(form);
    function apply() {
      var wanted = {};
      form.querySelectorAll("input:checked").forEach(function (box) {
        (wanted[box.name] = wanted[box.name] || []).push(box.value);
      });
      var matches = data.resources.filter(function (r) {
        return Object.keys(wanted).every(function (facet) {
          var have = facet === "kind" ? [r.kind] : r[facet] || [];
          return wanted[facet].some(function (v) { return have.indexOf(v) >= 0; });
        });
      });
      var kinds = {
        "case-study": "Case study", guidance: "Guidance", tool: "Tool",
        training: "Training", data: "Performance data", support: "Support offer"
      };
      results.innerHTML = '<ul class="tie-list">' + matches.map(function (r) {
        return '<li class="tie-item"><a href="' + escapeHtml(new URL(r.url.replace(/^\//, ""), root).href) + '">' +
          escapeHtml(r.title) + '</a> <span class="tie-item__kind">' + escapeHtml(kinds[r.kind] || r.kind) +
          "</span><p>" + escapeHtml(r.summary) + "</p></li>";
      }).join("") + "</ul>";
      showing.textContent = matches.length === 1 ? "Showing 1 resource." : "Showing " + matches.length + " resources.";
    }
    form.addEventListener("change", apply);
    apply();
  }

  function enhanceSearch(box) {
    var bundle = box.getAttribute("data-bundle");
    var css = document.createElement("link");
    css.rel = "stylesheet";
    css.href = bundle + "pagefind-ui.css";
    document.head.appendChild(css);
    var script = document.createElement("script");
    script.src = bundle + "pagefind-ui.js";
    script.onload = function () {
      box.replaceChildren();
      /* global PagefindUI */
      new PagefindUI({ element: "#tie-search", bundlePath: bundle, showSubResults: true, showImages: false });
      var input = box.querySelector("input");
      if (input) input.setAttribute("aria-label", "Search the library");
      // Pagefind's form stops its own submission; its javascript: action would only trip the
      // Content Security Policy if anything ever followed it.
      var form = box.querySelector("form");
      if (form) form.removeAttribute("action");
    };
    document.head.appendChild(script);
  }

  function start() {
    var nav = document.querySelector(".tie-filters[data-library]");
    if (nav) enhanceLibrary(nav);
    // data- attributes never survive in contributed content, so a contributed id cannot start these.
    var search = document.querySelector("#tie-search[data-bundle]");
    if (search) enhanceSearch(search);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
