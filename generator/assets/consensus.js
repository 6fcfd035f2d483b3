/* The consensus statement pages (functions/templates/consensus/statement.html). They work without this file: a
   save is a form POST that answers with a redirect to the same statement, or to the next on the agenda. With it,
   the same POST is sent with fetch, and the page it leads to (or the page of problems, or of a conflict) is shown
   in place of this one, without a reload: the address changes as it would have, the back button works, and focus
   goes to what a person needs next (the "saved" message, the error summary, or the heading). */
(function () {
  "use strict";

  if (!window.fetch || !window.DOMParser || !window.history || !history.pushState) return;

  function focusFirst(root) {
    var target = root.querySelector(".tie-error-summary") || root.querySelector(".tie-saved") || root.querySelector("h1");
    if (!target) return;
    if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
    target.focus();
  }

  function show(html, url, push) {
    var next = new DOMParser().parseFromString(html, "text/html");
    var fresh = next.querySelector("#tie-app-main");
    var here = document.querySelector("#tie-app-main");
    if (!fresh || !here) {
      window.location.assign(url);
      return;
    }
    here.replaceWith(fresh);
    document.title = next.title;
    if (push) history.pushState({ tieConsensus: true }, "", url);
    focusFirst(fresh);
    fresh.scrollIntoView({ block: "start" });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("[data-tie-consensus] form.tie-consensus__form")) return;
    event.preventDefault();
    var body = new URLSearchParams(new FormData(form));
    if (event.submitter && event.submitter.name) body.set(event.submitter.name, event.submitter.value);
    var buttons = form.querySelectorAll("button");
    buttons.forEach(function (b) { b.disabled = true; });
    // form.action would be the buttons named "action", not the address
    fetch(form.getAttribute("action"), { method: "POST", body: body, credentials: "same-origin", redirect: "follow" })
      .then(function (response) {
        return response.text().then(function (html) {
          // a redirect leads to the statement to show next; problems and conflicts answer at the form's address
          var url = response.redirected ? response.url : window.location.href;
          show(html, url, response.redirected);
        });
      })
      .catch(function () {
        buttons.forEach(function (b) { b.disabled = false; });
        form.submit(); // the network failed: let the browser try the plain form
      });
  });

  // a link of the error summary takes focus to its field, as a page load to the anchor would
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("[data-tie-consensus] .tie-error-summary a[href^='#']");
    if (!link) return;
    var field = document.getElementById(link.getAttribute("href").slice(1));
    if (!field) return;
    event.preventDefault();
    field.focus();
    (field.closest("fieldset") || field).scrollIntoView({ block: "start" });
  });

  window.addEventListener("popstate", function () {
    fetch(window.location.href, { credentials: "same-origin" })
      .then(function (response) { return response.text(); })
      .then(function (html) { show(html, window.location.href, false); })
      .catch(function () { window.location.reload(); });
  });
})();
