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

  // On a phone, a table's rows stack into blocks (bokbro.css, "stacked tables"): each cell is
  // shown with its column's name, copied here from the header row. CSS `display: block` takes
  // the table's meaning away from screen readers, so the roles are given back explicitly.
  function labelTables(root) {
    var tables = root.querySelectorAll(".table-wrap > table.ds-table:not(.keep-table)");
    Array.prototype.forEach.call(tables, function (table) {
      if (table.hasAttribute("data-stacked")) return;
      var head = table.tHead && table.tHead.rows[0];
      if (!head) return;
      var labels = [];
      Array.prototype.forEach.call(head.cells, function (cell) {
        for (var i = 0; i < (cell.colSpan || 1); i++) labels.push(cell.textContent.trim());
      });
      table.setAttribute("role", "table");
      Array.prototype.forEach.call(table.querySelectorAll("thead, tbody, tfoot"), function (g) {
        g.setAttribute("role", "rowgroup");
      });
      var spanned = []; // column -> rows still covered by a cell above (rowspan)
      Array.prototype.forEach.call(table.rows, function (row) {
        row.setAttribute("role", "row");
        var column = 0;
        Array.prototype.forEach.call(row.cells, function (cell) {
          while (spanned[column] > 0) column++;
          var inHead = row.parentNode === table.tHead;
          var role = inHead ? "columnheader" : cell.tagName === "TH" ? "rowheader" : "cell";
          cell.setAttribute("role", role);
          if (!inHead && labels[column] && cell.colSpan === 1) {
            cell.setAttribute("data-label", labels[column]);
          }
          for (var i = 0; i < (cell.colSpan || 1); i++) spanned[column + i] = cell.rowSpan || 1;
          column += cell.colSpan || 1;
        });
        for (var c = 0; c < spanned.length; c++) if (spanned[c] > 0) spanned[c]--;
      });
      table.setAttribute("data-stacked", "");
    });
  }

  // The menu button (shown on a phone by bokbro.css): opens and closes the header's menus.
  function menuToggle(event) {
    var button = event.target.closest(".site-menu-button");
    if (!button) return;
    var open = button.getAttribute("aria-expanded") !== "true";
    button.setAttribute("aria-expanded", open ? "true" : "false");
    button.closest(".site-header").toggleAttribute("data-menu-open", open);
  }

  function menuEscape(event) {
    if (event.key !== "Escape") return;
    var header = document.querySelector(".site-header[data-menu-open]");
    if (!header) return;
    var button = header.querySelector(".site-menu-button");
    button.setAttribute("aria-expanded", "false");
    header.removeAttribute("data-menu-open");
    button.focus();
  }

  document.documentElement.classList.add("js");
  document.addEventListener("click", menuToggle);
  document.addEventListener("keydown", menuEscape);
  document.addEventListener("DOMContentLoaded", function () {
    focusErrorSummary(document);
    labelTables(document);
  });
  document.addEventListener("submit", confirmSubmit, true);
  document.addEventListener("change", autoSubmit);
  document.addEventListener("htmx:afterSwap", function (event) {
    focusErrorSummary(event.target);
    labelTables(event.target);
  });
})();
