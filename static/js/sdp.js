// Behaviour without inline handlers (the Content Security Policy forbids them).
(function () {
  "use strict";

  // Confirmation before what cannot be undone: <form data-confirm="..."> or <button data-confirm="...">.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var submitter = event.submitter;
    var question = (submitter && submitter.getAttribute("data-confirm")) || form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
      return;
    }
    // Forms sent by htmx mark themselves (hx-disabled-elt); data-no-busy opts out.
    if (event.defaultPrevented || form.hasAttribute("data-no-busy") || form.hasAttribute("hx-post") || form.hasAttribute("hx-get")) { return; }
    // The form is on its way: its buttons say so and cannot be pressed twice. The pressed
    // button's name and value still travel with the form (a hidden copy), since a disabled
    // button is not sent.
    if (submitter && submitter.name) {
      var copy = document.createElement("input");
      copy.type = "hidden";
      copy.name = submitter.name;
      copy.value = submitter.value;
      copy.setAttribute("data-submitter-copy", "");
      form.appendChild(copy);
    }
    window.setTimeout(function () {
      // form.elements: also the buttons outside the form that belong to it (form="...").
      Array.prototype.forEach.call(form.elements, function (button) {
        if (button.type !== "submit") { return; }
        button.disabled = true;
        button.setAttribute("aria-busy", "true");
      });
      if (submitter && submitter.tagName === "BUTTON" && !submitter.querySelector(".sdp-spinner")) {
        var spinner = document.createElement("span");
        spinner.className = "spinner-border spinner-border-sm me-1 sdp-spinner";
        spinner.setAttribute("aria-hidden", "true");
        submitter.insertBefore(spinner, submitter.firstChild);
      }
    }, 0);
  });

  // A page shown again from the back/forward cache gets its buttons back.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) { return; }
    document.querySelectorAll("[aria-busy=true]").forEach(function (button) {
      button.disabled = false;
      button.removeAttribute("aria-busy");
    });
    // ...and its forms forget the button pressed then (a form shared by many buttons would send it again).
    document.querySelectorAll("input[data-submitter-copy]").forEach(function (copy) { copy.remove(); });
  });

  // An error summary takes the focus, so a screen reader announces it and the keyboard starts there.
  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.querySelector("[data-error-summary]");
    if (summary) { summary.focus(); }
  });

  // A part of the page sent with htmx (an in-place save): its buttons say it is working until the answer
  // arrives, and the answer's status message ([data-focus-after-swap]) takes the focus so it is announced.
  document.addEventListener("htmx:beforeRequest", function (event) {
    var elt = event.detail.elt;
    if (elt && elt.querySelectorAll) {
      elt.querySelectorAll("button[type=submit]").forEach(function (button) { button.setAttribute("aria-busy", "true"); });
    }
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    var elt = event.detail.elt;
    if (elt && elt.querySelectorAll) {
      elt.querySelectorAll("[aria-busy=true]").forEach(function (button) { button.removeAttribute("aria-busy"); });
    }
  });
  document.addEventListener("htmx:afterSettle", function () {
    var message = document.querySelector("[data-focus-after-swap]");
    if (message) {
      message.removeAttribute("data-focus-after-swap");
      message.focus();
    }
  });
  // A table wider than the screen scrolls inside its box: the box can take the keyboard's focus (so it can be
  // scrolled without a mouse) and is named after its table's caption or the heading before it.
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".table-responsive").forEach(function (box) {
      if (box.hasAttribute("tabindex") || box.scrollWidth <= box.clientWidth) { return; }
      var caption = box.querySelector("caption");
      var heading = box.closest("section") ? box.closest("section").querySelector("h2, h3") : null;
      var name = (caption && caption.textContent.trim()) || (heading && heading.textContent.trim()) || document.title;
      box.setAttribute("tabindex", "0");
      box.setAttribute("role", "region");
      box.setAttribute("aria-label", name);
    });
  });
})();
