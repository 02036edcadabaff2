// Show a question only when the earlier answer it depends on has the chosen option
// (data-show-if="q12" data-show-value="2"); the server checks the same rule when the answer is
// sent, so without JavaScript every question is shown and the hidden ones are simply ignored.
(function () {
  "use strict";
  function chosen(form, name) {
    return Array.from(form.querySelectorAll('[name="' + name + '"]'))
      .filter(function (input) { return input.checked; })
      .map(function (input) { return input.value; });
  }
  function update(form) {
    form.querySelectorAll("[data-show-if]").forEach(function (block) {
      var show = chosen(form, block.dataset.showIf).indexOf(block.dataset.showValue) !== -1;
      block.hidden = !show;
    });
  }
  document.querySelectorAll("form[data-survey]").forEach(function (form) {
    form.addEventListener("change", function () { update(form); });
    update(form);
  });
})();
