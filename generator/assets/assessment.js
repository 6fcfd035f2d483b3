/* The self-assessment form's enhancements (functions/templates/assessment/step.html). The form works
   without this file; with it:
   - when the page shows problems, the error summary takes focus, so they are read out first;
   - answers are saved as you go: a moment after a change, the whole response (this step's fields
     over what is stored) is sent to the JSON API with the version it is based on, and the page
     says when it was saved. The form's own buttons still save as before. */
(function () {
  "use strict";

  var summary = document.querySelector(".tie-error-summary");
  if (summary) summary.focus();

  var form = document.querySelector("form[data-tie-assessment]");
  if (!form || !window.fetch || form.getAttribute("data-tie-step") === "review") return;
  var buttons = form.querySelector(".tie-button-group");
  if (!buttons) return; // a closed round: nothing to save
  var api = form.getAttribute("data-tie-assessment");
  var token = form.querySelector('input[name="csrf_token"]').value;
  var version = form.querySelector('input[name="version"]');
  var status = document.createElement("p");
  status.className = "tie-autosave";
  status.setAttribute("role", "status");
  buttons.parentNode.insertBefore(status, buttons);

  var stored = null; // the response as last saved, from the API
  var timer = null;
  var saving = false;
  var queued = false;
  var stopped = false;
  var waitingSubmit = null;
  var DELAY = 1500; // ms after the last change: long enough not to save every keystroke

  fetch(api, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
    .then(function (data) { stored = data; })
    .catch(function () { stopped = true; });

  function checked(name) {
    var box = form.querySelector('input[name="' + name + '"]:checked');
    return box ? box.value : null;
  }

  function body() {
    var answers = {};
    Object.keys(stored.answers).forEach(function (id) { answers[id] = stored.answers[id]; });
    var out = { version: Number(version.value), respondent_role: stored.respondent_role, routes: stored.routes, answers: answers };
    if (form.querySelector('input[name="respondent_role"]')) {
      var role = checked("respondent_role");
      out.respondent_role = role === "not-said" ? null : role;
      out.routes = Array.prototype.map.call(form.querySelectorAll('input[name="routes"]:checked'), function (b) { return b.value; });
    }
    form.querySelectorAll("textarea[name$='.comment']").forEach(function (area) {
      var id = area.name.slice(0, -".comment".length);
      var answer = { current: checked(id + ".current"), ambition: checked(id + ".ambition"), comment: area.value };
      if (answer.current || answer.ambition || answer.comment.trim()) answers[id] = answer;
      else delete answers[id];
    });
    return out;
  }

  function key() {
    return window.crypto && window.crypto.randomUUID ? window.crypto.randomUUID() : String(Date.now()) + Math.random();
  }

  function say(text) { status.textContent = text; }

  function finished() {
    saving = false;
    if (waitingSubmit) {
      var submitter = waitingSubmit;
      waitingSubmit = null;
      form.requestSubmit(submitter);
    } else if (queued) {
      queued = false;
      save();
    }
  }

  function save() {
    if (stopped || !stored) return;
    if (saving) { queued = true; return; }
    saving = true;
    fetch(api, {
      method: "PUT",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRF-Token": token, "Idempotency-Key": key() },
      body: JSON.stringify(body())
    })
      .then(function (r) {
        return r.json().then(function (data) { return { status: r.status, data: data }; });
      })
      .then(function (result) {
        if (result.status === 200) {
          stored = result.data;
          version.value = String(result.data.version);
          var at = new Date();
          say("Saved at " + at.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }) + ".");
        } else if (result.status === 409) {
          stopped = true;
          say("Someone saved these answers since you opened this page. Reload the page to see them before you change anything.");
        } else if (result.status === 422) {
          say("Not saved yet: some answers need attention (for example, an ambition below where your council is now). Save and continue shows what to fix.");
        } else {
          say("Your answers could not be saved automatically just now. Save and continue still saves them.");
        }
      })
      .catch(function () { say("Your answers could not be saved automatically just now. Save and continue still saves them."); })
      .then(finished);
  }

  function soon() {
    window.clearTimeout(timer);
    timer = window.setTimeout(save, DELAY);
  }

  form.addEventListener("change", soon);
  form.addEventListener("input", function (event) { if (event.target.tagName === "TEXTAREA") soon(); });
  form.addEventListener("submit", function (event) {
    // A save in flight would move the version on under the form: let it finish, then submit.
    window.clearTimeout(timer);
    if (saving) {
      event.preventDefault();
      waitingSubmit = event.submitter || buttons.querySelector("button");
    }
  });
})();
