// sdgraph: scenario pages. (1) Weights: recompute the weighted totals, ranks and ranking
// from the scores in the criteria table as the weights change, without a reload (the
// form recomputes on the server without JavaScript); (2) drill-down: open the details
// of a matrix cell; (3) draw the networks before and after (vis-network) from the
// data-netwerk attribute. All text is set with textContent.
(function () {
  "use strict";

  function weights(form) {
    var out = {};
    Array.prototype.forEach.call(form.querySelectorAll("input[type=number]"), function (input) {
      var value = parseFloat(input.value);
      out[input.name.replace(/^w_/, "")] = isNaN(value) || value < 0 ? 0 : value;
    });
    return out;
  }

  function rerank(form) {
    var w = weights(form);
    var rows = Array.prototype.slice.call(document.querySelectorAll("#tabel-criteria tbody tr"));
    var sum = 0;
    Object.keys(w).forEach(function (c) { sum += w[c]; });
    var totals = rows.map(function (row) {
      var total = 0;
      Object.keys(w).forEach(function (c) {
        total += w[c] * parseFloat(row.getAttribute("data-score-" + c));
      });
      total = sum > 0 ? Math.round(100 * total / sum) / 100 : 0;
      row.querySelector("td.totaal").textContent = String(total);
      return { row: row, total: total, name: row.querySelector("th").textContent,
               index: row.getAttribute("data-scenario") };
    });
    // a scenario that changes nothing for the gemeente is not ranked
    var ranked = totals.filter(function (t) { return !t.row.hasAttribute("data-niets"); })
                       .sort(function (a, b) {
      if (a.total !== b.total) { return b.total - a.total; }
      return a.name < b.name ? -1 : (a.name > b.name ? 1 : 0);
    });
    var list = document.getElementById("lijst-rangorde");
    ranked.forEach(function (item, position) {
      item.row.querySelector("td.rang").textContent = String(position + 1);
      var li = list.querySelector('li[data-scenario="' + item.index + '"]');
      if (li) {
        li.querySelector(".totaal").textContent = String(item.total);
        list.appendChild(li);
      }
    });
    Array.prototype.forEach.call(document.querySelectorAll("a[data-scenario-download]"), function (a) {
      var url = new URL(a.href, window.location.href);
      Object.keys(w).forEach(function (c) {
        if (w[c] === 1) { url.searchParams.delete("w_" + c); } else { url.searchParams.set("w_" + c, String(w[c])); }
      });
      a.href = url.pathname + url.search;
    });
    Array.prototype.forEach.call(document.querySelectorAll("input[data-gewicht]"), function (input) {
      input.value = String(w[input.getAttribute("data-gewicht")]);
    });
  }

  function openDetails(hash) {
    if (!hash || hash.length < 2) { return; }
    var target = document.getElementById(decodeURIComponent(hash.slice(1)));
    if (target && target.tagName === "DETAILS") { target.open = true; }
  }

  function drawNetworks() {
    if (typeof vis === "undefined") { return; }
    Array.prototype.forEach.call(document.querySelectorAll(".scenario-canvas[data-netwerk]"), function (box) {
      var data = JSON.parse(box.getAttribute("data-netwerk"));
      var nodes = new vis.DataSet(data.nodes.map(function (n) {
        var node = { id: n.id, label: n.label, title: n.title, shape: n.shape, color: n.color };
        if (n.size) { node.size = n.size; }
        return node;
      }));
      var edges = new vis.DataSet(data.edges.map(function (e) {
        return { id: e.id, from: e.from, to: e.to, color: e.color, title: e.title, dashes: e.dashes };
      }));
      box.textContent = "";
      new vis.Network(box, { nodes: nodes, edges: edges }, data.options);
      box.setAttribute("data-ready", "true");
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("gewichten");
    if (form) {
      form.addEventListener("input", function () { rerank(form); });
      rerank(form);
    }
    Array.prototype.forEach.call(document.querySelectorAll("a.drill"), function (a) {
      a.addEventListener("click", function () { openDetails(a.getAttribute("href")); });
    });
    window.addEventListener("hashchange", function () { openDetails(window.location.hash); });
    openDetails(window.location.hash);
    drawNetworks();
  });
})();
