// Autosave of the diagnostic fill-in page: each changed question is sent to the JSON endpoint
// with the diagnostic version last read; the page still works without JavaScript (plain submit).
(function () {
  "use strict";
  var form = document.getElementById("fill-form");
  if (!form) { return; }
  var url = form.getAttribute("data-autosave-url");
  var versionInput = document.getElementById("diagnostic-version");
  var statusLine = document.getElementById("autosave-status");
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var timers = {};
  var conflict = false;

  function item(fieldset) {
    var id = fieldset.getAttribute("data-question");
    var checked = fieldset.querySelector("input[name=q" + id + "-level]:checked");
    return {
      question: Number(id),
      level: checked ? Number(checked.value) : null,
      not_applicable: fieldset.querySelector("input[name=q" + id + "-na]").checked,
      na_reason: fieldset.querySelector("[name=q" + id + "-na_reason]").value,
      evidence: fieldset.querySelector("[name=q" + id + "-evidence]").value
    };
  }

  function mark(fieldset, text, isError) {
    var span = fieldset.querySelector(".saved-state");
    span.textContent = text;
    span.className = "saved-state " + (isError ? "errorlist" : "muted");
  }

  function save(fieldset) {
    if (conflict) { return; }
    var answer = item(fieldset);
    if (answer.not_applicable && answer.level !== null) { answer.level = null; }
    if (answer.level === null && !answer.not_applicable) { mark(fieldset, "…", false); return; }
    if (answer.not_applicable && !answer.na_reason.trim()) { mark(fieldset, statusLine.dataset.naReason, true); return; }
    mark(fieldset, "…", false);
    fetch(url, {
      method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRFToken": csrf},
      body: JSON.stringify({version: Number(versionInput.value), answers: [answer]})
    }).then(function (response) {
      return response.json().then(function (data) { return {status: response.status, data: data}; });
    }).then(function (result) {
      if (result.status === 200) {
        versionInput.value = result.data.version;
        document.querySelectorAll("input.version-mirror").forEach(function (el) { el.value = result.data.version; });
        mark(fieldset, "✓ " + (statusLine.dataset.saved || ""), false);
        result.data.progress.forEach(function (p) {
          var badge = document.querySelector("[data-progress='" + p.dimension + "']");
          if (badge) { badge.textContent = p.answered + "/" + p.total; badge.className = "badge progress " + (p.complete ? "text-bg-success" : "text-bg-warning text-dark"); }
        });
      } else if (result.status === 409) {
        conflict = true;
        statusLine.textContent = result.data.detail;
        statusLine.className = "errorlist";
      } else {
        var errors = (result.data.answers && result.data.answers[0]) || {detail: result.data.detail};
        mark(fieldset, Object.values(errors).join(" "), true);
      }
    }).catch(function () { mark(fieldset, "⚠", true); });
  }

  form.querySelectorAll("fieldset.question").forEach(function (fieldset) {
    fieldset.addEventListener("change", function () { save(fieldset); });
    fieldset.addEventListener("input", function (event) {
      if (event.target.tagName !== "TEXTAREA" && event.target.type !== "text") { return; }
      var id = fieldset.getAttribute("data-question");
      clearTimeout(timers[id]);
      timers[id] = setTimeout(function () { save(fieldset); }, 800);
    });
  });
})();
