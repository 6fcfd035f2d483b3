/* The self-assessment form's enhancements (functions/templates/assessment/step.html). The form works
   without this file; with it:
   - when the page shows problems, the error summary takes focus, so they are read out first;
   - answers are saved as you go: a moment after a change, each statement changed is sent on its
     own to the JSON API (PUT .../my-response/answers/{statement}), with the version it is based on,
     and the page says when it was saved. On the first step (role and routes) the whole response is
     sent, as those are not answers to a statement. The form's own buttons still save as before.
   - if someone saved since this page was opened (another window, another device), nothing more is
     saved from it: the page says so and shows, under the statement, the answer saved now. The
     form's version is left as it was, so its buttons get the server's own conflict page too. */
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
  var about = !!form.querySelector('input[name="respondent_role"]');
  var status = document.createElement("p");
  status.className = "tie-autosave";
  status.setAttribute("role", "status");
  buttons.parentNode.insertBefore(status, buttons);

  var DELAY = 1500; // ms after the last change: long enough not to save every keystroke
  var NOT_SAVED = "Your answers could not be saved automatically just now. Save and continue still saves them.";
  var timer = null;
  var saving = false;
  var queued = false;
  var stopped = false;
  var waitingSubmit = null;
  var changed = {}; // statement id -> edits since it was last sent (a statement edited while its save is in flight stays changed)
  var order = []; // statements changed, in the order they were first changed
  var aboutChanged = false;
  var stored = null; // on the first step only: the response as last saved, for the whole-response save
  var last = null; // the last request sent: a retry of the same body after a failure reuses its key, so it is stored once

  if (about) {
    fetch(api, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(function (data) { stored = data; })
      .catch(function () { stopped = true; });
  }

  function checked(name) {
    var box = form.querySelector('input[name="' + name + '"]:checked');
    return box ? box.value : null;
  }

  function say(text) { status.textContent = text; }

  function newKey() {
    return window.crypto && window.crypto.randomUUID ? window.crypto.randomUUID() : String(Date.now()) + Math.random();
  }

  function statementOf(field) {
    var name = field.name || "";
    var dot = name.lastIndexOf(".");
    return dot > 0 && /^(current|ambition|comment)$/.test(name.slice(dot + 1)) ? name.slice(0, dot) : null;
  }

  function answerOf(id) {
    var area = form.querySelector('textarea[name="' + id + '.comment"]');
    return { current: checked(id + ".current"), ambition: checked(id + ".ambition"), comment: area ? area.value : "" };
  }

  function wholeBody() {
    var role = checked("respondent_role");
    return {
      version: Number(version.value),
      respondent_role: role === "not-said" ? null : role,
      routes: Array.prototype.map.call(form.querySelectorAll('input[name="routes"]:checked'), function (b) { return b.value; }),
      answers: stored.answers
    };
  }

  // The next request to send: [url, body, what it saves], or null when nothing is waiting.
  function next() {
    if (about) return aboutChanged && stored ? [api, wholeBody(), null] : null;
    while (order.length && !changed[order[0]]) order.shift();
    if (!order.length) return null;
    var id = order[0];
    var body = answerOf(id);
    body.version = Number(version.value);
    return [api + "/answers/" + encodeURIComponent(id), body, id];
  }

  function send(url, body) {
    var text = JSON.stringify(body);
    var key = last && last.url === url && last.text === text ? last.key : newKey();
    last = { url: url, text: text, key: key };
    return fetch(url, {
      method: "PUT",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRF-Token": token, "Idempotency-Key": key },
      body: text
    }).then(function (r) {
      return r.json().then(function (data) { return { status: r.status, data: data }; });
    });
  }

  function stageLabel(id, part, value) {
    if (!value) return "not answered";
    var input = form.querySelector('input[name="' + id + "." + part + '"][value="' + value + '"]');
    var label = input && form.querySelector('label[for="' + input.id + '"]');
    return label ? label.textContent : value;
  }

  // Someone saved since this page was opened: say so, show the answer saved now, and save nothing more.
  function conflict(id, error) {
    stopped = true;
    var current = error && error.current;
    if (!current) { // the round closed
      say((error && error.message) || "This round is closed: answers can no longer change.");
      return;
    }
    say("Someone saved these answers since you opened this page (perhaps you, in another window). Your change was not " +
      "saved, and nothing more will be saved from this page. Reload the page to see the answers saved now.");
    var where = id && document.getElementById(id);
    if (!where) return;
    var notice = where.querySelector(".tie-saved-elsewhere") || document.createElement("div");
    notice.className = "tie-banner tie-banner--stale tie-saved-elsewhere";
    var answer = current.answer;
    var text = answer
      ? "Now: " + stageLabel(id, "current", answer.current) + "; in two years: " + stageLabel(id, "ambition", answer.ambition) +
        (answer.comment ? ". Comment: " + answer.comment : ".")
      : "No answer.";
    notice.textContent = "";
    var strong = document.createElement("strong");
    strong.textContent = "Saved since you opened this page: ";
    notice.appendChild(strong);
    notice.appendChild(document.createTextNode(text + " Your change above was not saved."));
    if (!notice.parentNode) where.appendChild(notice);
  }

  // What a reply means for the change it saved; "failed" leaves the change waiting for the next save.
  function handle(id, edits, result) {
    if (result.status === 200) {
      last = null;
      version.value = String(result.data.version);
      if (about) stored = result.data;
      else if (changed[id] === edits) delete changed[id];
      say("Saved at " + new Date().toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }) + ".");
    } else if (result.status === 409) {
      conflict(id, result.data.error);
    } else if (result.status === 422) {
      last = null;
      if (id && changed[id] === edits) delete changed[id]; // sent again when it is next changed
      say("Not saved yet: " + (id ? "your answer to " + id + " needs" : "some answers need") + " attention (for " +
        "example, an ambition below where your council is now). Save and continue shows what to fix.");
    } else {
      stopped = result.status === 401 || result.status === 403 || result.status === 404;
      return "failed";
    }
  }

  function save() {
    if (stopped) return;
    if (saving) { queued = true; return; }
    var request = next();
    if (!request) return;
    var id = request[2];
    var edits = id ? changed[id] : 0;
    if (about) aboutChanged = false;
    saving = true;
    send(request[0], request[1])
      .then(function (result) { return handle(id, edits, result); }, function () { return "failed"; })
      .then(function (outcome) {
        saving = false;
        if (outcome === "failed") {
          if (about) aboutChanged = true;
          say(NOT_SAVED);
        }
        if (waitingSubmit) {
          var submitter = waitingSubmit;
          waitingSubmit = null;
          form.requestSubmit(submitter);
        } else if (outcome !== "failed" && (queued || next())) {
          queued = false;
          save();
        } else {
          queued = false;
        }
      });
  }

  function edited(event) {
    if (stopped) return;
    var id = statementOf(event.target);
    if (id) {
      if (!changed[id]) order.push(id);
      changed[id] = (changed[id] || 0) + 1;
    } else if (about) {
      aboutChanged = true;
    } else {
      return;
    }
    window.clearTimeout(timer);
    timer = window.setTimeout(save, DELAY);
  }

  form.addEventListener("change", edited);
  form.addEventListener("input", function (event) { if (event.target.tagName === "TEXTAREA") edited(event); });
  form.addEventListener("submit", function (event) {
    // A save in flight would move the version on under the form: let it finish, then submit.
    window.clearTimeout(timer);
    if (saving) {
      event.preventDefault();
      waitingSubmit = event.submitter || buttons.querySelector("button");
    }
  });
})();
