/* Feedback in place. Every feedback form and link works without this file (plain POSTs that answer
   with a thank-you page, functions/feedback/feedback.py); with it:
   - forms marked data-tie-feedback are sent with fetch and replaced by the thank-you message;
   - "This question is unclear" links open a small box in place instead of a new tab, so that a
     person answering the self-assessment never leaves the page. The box is not a form (it may sit
     inside the answers form, and forms cannot nest): its buttons send it with fetch. */
(function () {
  "use strict";

  if (!window.fetch || !window.URLSearchParams) return;

  function done(replaced, message) {
    var note = document.createElement("p");
    note.className = "tie-feedback-done";
    note.setAttribute("role", "status");
    note.tabIndex = -1;
    replaced.parentNode.replaceChild(note, replaced);
    note.textContent = message;
    note.focus(); // the button that had focus has gone: put focus on what replaced it
    return note;
  }

  function send(url, params) {
    return fetch(url, {
      method: "POST",
      body: params,
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    }).then(function (response) {
      if (!response.ok) return Promise.reject(response.status);
      return response.json();
    });
  }

  function enhanceForm(form) {
    form.addEventListener("submit", function (event) {
      if (form.getAttribute("data-tie-plain") === "1") return; // the fallback below: let the browser send it
      event.preventDefault();
      var submitter = event.submitter;
      var params = new URLSearchParams(new FormData(form));
      if (submitter && submitter.name) params.append(submitter.name, submitter.value);
      send(form.action, params).then(
        function (data) {
          var more = form.parentNode.querySelector(".tie-feedback__more");
          done(form, data.message);
          if (submitter && submitter.name === "useful" && submitter.value === "no" && more) {
            more.open = true; // "what would have made it more useful?": the suggestion box is right there
          }
        },
        function () {
          // Refused or failed (too many, too long, a wrong address...): send it the plain way, so the
          // app's page says exactly what was wrong and how to put it right.
          form.setAttribute("data-tie-plain", "1");
          if (form.requestSubmit) form.requestSubmit(submitter || undefined);
          else form.submit();
        }
      );
    });
  }

  var panels = 0;

  function openUnclear(link) {
    var existing = link.nextElementSibling;
    if (existing && existing.classList.contains("tie-unclear-panel")) {
      existing.querySelector("textarea").focus();
      return;
    }
    panels += 1;
    var id = "tie-unclear-" + panels;
    var statement = link.getAttribute("data-tie-unclear");
    var panel = document.createElement("div");
    panel.className = "tie-unclear-panel";
    panel.setAttribute("role", "group");
    panel.setAttribute("aria-label", "Tell us what is unclear about statement " + statement);
    var label = document.createElement("label");
    label.htmlFor = id;
    label.textContent = "What is unclear about it? (optional)";
    var box = document.createElement("textarea");
    box.id = id;
    box.rows = 3;
    box.maxLength = 2000;
    var sendButton = document.createElement("button");
    sendButton.type = "button"; // never submits the answers form it may sit in
    sendButton.className = "md-button md-button--primary";
    sendButton.textContent = "Send";
    var cancel = document.createElement("button");
    cancel.type = "button";
    cancel.className = "md-button";
    cancel.textContent = "Cancel";
    panel.appendChild(label);
    panel.appendChild(box);
    panel.appendChild(sendButton);
    panel.appendChild(cancel);
    link.parentNode.insertBefore(panel, link.nextSibling);
    box.focus();

    cancel.addEventListener("click", function () {
      panel.parentNode.removeChild(panel);
      link.focus();
    });
    sendButton.addEventListener("click", function () {
      var params = new URLSearchParams();
      params.append("statement", statement);
      params.append("return", link.getAttribute("data-tie-return") || "");
      params.append("message", box.value);
      sendButton.disabled = true;
      send(new URL(link.href, document.baseURI).pathname, params).then(
        function (data) { done(panel, data.message); },
        function () {
          sendButton.disabled = false;
          window.open(link.href, "_blank", "noopener"); // the page of its own says what went wrong
        }
      );
    });
  }

  function enhance() {
    document.querySelectorAll("form[data-tie-feedback]").forEach(enhanceForm);
    document.querySelectorAll("a[data-tie-unclear]").forEach(function (link) {
      var hidden = link.querySelector(".tie-visually-hidden");
      if (hidden) hidden.textContent = " (" + link.getAttribute("data-tie-unclear") + ")"; // no new tab now
      link.addEventListener("click", function (event) {
        if (event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return; // they asked for a tab
        event.preventDefault();
        openUnclear(link);
      });
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", enhance);
  else enhance();
})();
