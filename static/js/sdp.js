// Behaviour without inline handlers (the Content Security Policy forbids them).
document.addEventListener("change", function (event) {
  var el = event.target;
  if (el.matches && el.matches("select[data-autosubmit]") && el.form) { el.form.submit(); }
});
