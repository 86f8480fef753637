// sdgraph: sortable tables (own code, no dependencies).
// Every <table class="sortable"> gets a button in each column header; clicking
// sorts the rows by that column (numbers and ISO dates sort naturally) and
// toggles between ascending and descending; aria-sort tells screen readers.
(function () {
  "use strict";

  var collator = new Intl.Collator(document.documentElement.lang || "nl", { numeric: true, sensitivity: "base" });

  // A cell's data-sort (the plain number behind a number shown in the page's format,
  // 1.234,5 or 1,234.5) sorts instead of its text.
  function cellText(row, index) {
    var cell = row.cells[index];
    if (!cell) { return ""; }
    var key = cell.getAttribute("data-sort");
    return key !== null ? key : cell.textContent.trim();
  }

  function compare(a, b) {
    if (a === b) { return 0; }
    if (a === "") { return 1; }   // empty cells last
    if (b === "") { return -1; }
    var na = Number(a.replace(",", ".")), nb = Number(b.replace(",", "."));
    if (!isNaN(na) && !isNaN(nb)) { return na - nb; }
    return collator.compare(a, b);
  }

  function sortBy(table, header, index) {
    var body = table.tBodies[0];
    if (!body) { return; }
    var ascending = header.getAttribute("aria-sort") !== "ascending";
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) { th.removeAttribute("aria-sort"); });
    header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (r1, r2) {
      var result = compare(cellText(r1, index), cellText(r2, index));
      return ascending ? result : -result;
    });
    rows.forEach(function (row) { body.appendChild(row); });
  }

  function init(table) {
    if (!table.tHead || !table.tHead.rows.length) { return; }
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, index) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort";
      while (th.firstChild) { button.appendChild(th.firstChild); }
      th.appendChild(button);
      button.addEventListener("click", function () { sortBy(table, th, index); });
    });
  }

  // A search box with class "table-filter" and data-table="<id>" hides the rows
  // of that table that do not contain its text (case-insensitive).
  function initFilter(input) {
    var table = document.getElementById(input.getAttribute("data-table"));
    if (!table || !table.tBodies.length) { return; }
    input.addEventListener("input", function () {
      var needle = input.value.trim().toLowerCase();
      Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
        row.hidden = needle !== "" && row.textContent.toLowerCase().indexOf(needle) === -1;
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), init);
    Array.prototype.forEach.call(document.querySelectorAll("input.table-filter"), initFilter);
  });
})();
