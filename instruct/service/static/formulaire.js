/* The guided form, progressively enhanced: the draft is saved a few seconds after typing stops and when
   the page is left, the rules' answer beside the fields is refreshed, and a file over the limit is refused
   beside its field before it is sent. Without this script every action is a plain form post. */
(function () {
  "use strict";
  var form = document.getElementById("formulaire");
  if (!form || !window.fetch || !window.FormData) return;
  var DELAY = 3000;
  var MAX_PIECE = 20 * 1024 * 1024;
  var timer = null;
  var dirty = false;
  var saving = false;
  var status = document.getElementById("etat-enregistrement");
  var revision = document.getElementById("revision");

  function say(text) { if (status) status.textContent = text; }

  function payload() {
    var data = new FormData(form);
    var names = [];
    data.forEach(function (value, name) { if (typeof value !== "string") names.push(name); });
    names.forEach(function (name) { data.delete(name); });
    data.set("action", "enregistrer");
    return data;
  }

  var waiting = null;  // a submit made while an automatic save was under way: sent once it is done

  function done() {
    saving = false;
    if (waiting) {
      var submitter = waiting;
      waiting = null;
      if (form.requestSubmit) form.requestSubmit(submitter.tagName ? submitter : undefined);
      else form.submit();
    }
  }

  function save(leaving) {
    if (!dirty || saving) return;
    dirty = false;
    saving = true;
    say("Enregistrement…");
    fetch(form.getAttribute("action"), {  // not form.action: the buttons named « action » hide it
      method: "POST",
      body: payload(),
      credentials: "same-origin",
      headers: { "X-Enregistrement": "auto" },
      keepalive: !!leaving
    }).then(function (response) {
      return response.json().then(function (body) { return { ok: response.ok, body: body }; });
    }).then(function (answer) {
      if (!answer.ok) {
        say(answer.body.erreur || "Enregistrement automatique impossible : utilisez le bouton « Enregistrer ».");
        return;
      }
      revision.value = answer.body.revision;
      var lacunes = document.getElementById("lacunes");
      if (lacunes && answer.body.lacunes) lacunes.outerHTML = answer.body.lacunes;
      var now = new Date();
      say("Brouillon enregistré à " + now.getHours() + " h " + String(now.getMinutes()).padStart(2, "0") + ".");
    }).catch(function () {
      say("Enregistrement automatique impossible (connexion ?) : vos saisies restent dans la page.");
    }).then(done, done);
  }

  function changed(event) {
    if (event.target && event.target.type === "file") return;
    dirty = true;
    if (timer) clearTimeout(timer);
    timer = setTimeout(function () { save(false); }, DELAY);
  }

  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  form.addEventListener("submit", function (event) {
    if (timer) clearTimeout(timer);
    if (saving) {  // the page's revision is about to change: wait for it
      event.preventDefault();
      waiting = event.submitter || true;
      return;
    }
    dirty = false;
  });
  document.addEventListener("visibilitychange", function () { if (document.visibilityState === "hidden") save(true); });
  window.addEventListener("pagehide", function () { save(true); });

  Array.prototype.forEach.call(form.querySelectorAll("input[type=file]"), function (input) {
    input.addEventListener("change", function () {
      var messages = document.getElementById(input.id + "-messages");
      var group = document.getElementById(input.id + "-groupe");
      var big = Array.prototype.filter.call(input.files || [], function (f) { return f.size > MAX_PIECE; });
      if (!messages) return;
      messages.textContent = "";
      if (group) group.classList.remove("fr-upload-group--error");
      if (big.length) {
        var p = document.createElement("p");
        p.className = "fr-message fr-message--error fr-error-text";
        p.textContent = big.map(function (f) {
          return "« " + f.name + " » est trop volumineux : " + Math.round(f.size / 1048576) + " Mo, au plus 20 Mo";
        }).join(" ; ");
        messages.appendChild(p);
        if (group) group.classList.add("fr-upload-group--error");
        input.value = "";
      }
    });
  });
}());

/* The date picker beside a date typed « JJ/MM/AAAA »: a native calendar (hidden without this script), kept in
   step with the text field, which stays the field the form posts. */
(function () {
  "use strict";
  function iso(text) {
    var m = /^\s*(\d{1,2})\/(\d{1,2})\/(\d{4})\s*$/.exec(text || "");
    if (!m) return "";
    return m[3] + "-" + ("0" + m[2]).slice(-2) + "-" + ("0" + m[1]).slice(-2);
  }
  Array.prototype.forEach.call(document.querySelectorAll("[data-calendrier]"), function (bloc) {
    var texte = document.getElementById(bloc.getAttribute("data-calendrier"));
    var calendrier = bloc.querySelector("input[type=date]");
    if (!texte || !calendrier || calendrier.type !== "date") return;
    bloc.hidden = false;
    calendrier.addEventListener("change", function () {
      if (!calendrier.value) return;
      var p = calendrier.value.split("-");
      texte.value = p[2] + "/" + p[1] + "/" + p[0];
      texte.dispatchEvent(new Event("input", { bubbles: true }));
    });
    texte.addEventListener("change", function () { calendrier.value = iso(texte.value); });
  });
}());
