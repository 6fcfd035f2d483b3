/* The councils list's search box (generator/pages/councils.py). Without JavaScript the box stays hidden and
   the A-Z letters, the filters and the pages of the list find a council just as well. */
(function () {
  "use strict";

  var box = document.querySelector(".tie-council-search");
  if (!box || !window.fetch) return;
  var input = box.querySelector("input");
  var results = document.getElementById("tie-results");
  var showing = document.getElementById("tie-showing");
  if (!input || !results || !showing) return;
  var root = new URL(box.getAttribute("data-root"), document.baseURI).href;
  var original = { results: results.innerHTML, showing: showing.textContent };
  var data = null; // fetched on the first keystroke: a visitor who never searches never downloads it

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function load() {
    if (!data) {
      data = fetch(new URL(box.getAttribute("data-councils"), document.baseURI).href, { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : Promise.reject(new Error("councils.json: " + r.status)); });
    }
    return data;
  }

  function show() {
    var query = input.value.trim().toLowerCase();
    if (!query) {
      results.innerHTML = original.results;
      showing.textContent = original.showing;
      return;
    }
    load().then(function (councils) {
      if (input.value.trim().toLowerCase() !== query) return; // a newer keystroke is on its way
      var found = councils.filter(function (c) {
        return c.name.toLowerCase().indexOf(query) !== -1 || c.official.toLowerCase().indexOf(query) !== -1 ||
          c.code.toLowerCase() === query;
      });
      results.innerHTML = '<ul class="tie-list">' + found.map(function (c) {
        return '<li class="tie-item"><a href="' + escapeHtml(root + c.url) + '">' + escapeHtml(c.name) + '</a> <span class="tie-item__kind">' +
          escapeHtml(c.where) + "</span></li>";
      }).join("") + "</ul>";
      showing.textContent = found.length === 1 ? "1 council found." : found.length + " councils found.";
    });
  }

  box.hidden = false;
  input.addEventListener("input", show);
})();
