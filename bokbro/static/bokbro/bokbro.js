// Bokbro's only script besides htmx. Behaviour is attached by data- attributes (no inline
// scripts: the Content-Security-Policy forbids them).
(function () {
  "use strict";

  function focusErrorSummary(root) {
    var summary = root.querySelector("[data-autofocus]");
    if (summary) summary.focus();
  }

  function confirmSubmit(event) {
    var form = event.target.closest("form[data-confirm]");
    if (form && !window.confirm(form.getAttribute("data-confirm"))) event.preventDefault();
  }

  // A select with data-autosubmit submits its form when changed (filters); the form keeps a
  // submit button, so it works without JavaScript too.
  function autoSubmit(event) {
    var el = event.target;
    if (el.matches && el.matches("[data-autosubmit]")) el.form.requestSubmit();
  }

  document.addEventListener("DOMContentLoaded", function () {
    focusErrorSummary(document);
  });
  document.addEventListener("submit", confirmSubmit, true);
  document.addEventListener("change", autoSubmit);
  document.addEventListener("htmx:afterSwap", function (event) {
    focusErrorSummary(event.target);
  });
})();
