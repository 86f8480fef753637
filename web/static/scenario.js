// sdgraph: scenario pages. Everything here only improves pages that work without it:
// (1) weights: recompute the weighted totals, ranks and ranking from the scores in the
//     criteria table as the weights change (the form recomputes on the server without
//     JavaScript); (2) drill-down: open the details of a matrix cell; (3) draw the networks
//     before and after (vis-network) in one layout, the lines that go and come highlighted;
// (4) the builder: show only the fields a kind of change uses, and show the impact of the
//     change being typed (a fragment from the server) before it is added.
// Text is set with textContent; the impact fragment is this server's own escaped HTML.
(function () {
  "use strict";

  var LANG = document.documentElement.lang || "nl";

  function fmt(value, decimals) {
    return value.toLocaleString(LANG, { minimumFractionDigits: decimals,
                                        maximumFractionDigits: decimals });
  }

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
    var totals = rows.filter(function (row) { return !row.hasAttribute("data-niets"); })
      .map(function (row) {
        var total = 0;
        Object.keys(w).forEach(function (c) {
          total += w[c] * (parseFloat(row.getAttribute("data-score-" + c)) || 0);
        });
        total = sum > 0 ? Math.round(100 * total / sum) / 100 : 0;
        row.querySelector("td.totaal").textContent = fmt(total, 1);
        return { row: row, total: total, name: row.querySelector("th").textContent,
                 index: row.getAttribute("data-scenario") };
      });
    // a scenario that changes nothing for the gemeente is not ranked
    var ranked = totals.slice().sort(function (a, b) {
      if (a.total !== b.total) { return b.total - a.total; }
      return a.name < b.name ? -1 : (a.name > b.name ? 1 : 0);
    });
    var list = document.getElementById("lijst-rangorde");
    ranked.forEach(function (item, position) {
      item.row.querySelector("td.rang").textContent = String(position + 1);
      var li = list && list.querySelector('li[data-scenario="' + item.index + '"]');
      if (li) {
        li.querySelector(".totaal").textContent = fmt(item.total, 1);
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
  }

  function openDetails(hash) {
    if (!hash || hash.length < 2) { return; }
    var target = document.getElementById(decodeURIComponent(hash.slice(1)));
    if (target && target.tagName === "DETAILS") { target.open = true; }
  }

  var GONE = "#c0392b", NEW = "#1e8449";

  function drawNetworks() {
    if (typeof vis === "undefined") { return; }
    Array.prototype.forEach.call(document.querySelectorAll(".scenario-canvas[data-netwerk]"), function (box) {
      var data = JSON.parse(box.getAttribute("data-netwerk"));
      var after = box.getAttribute("data-kant") === "na";
      var nodes = new vis.DataSet(data.nodes.map(function (n) {
        var node = { id: n.id, label: n.label, title: n.title, shape: n.shape, color: n.color,
                     x: n.x, y: n.y, fixed: true };
        if (n.size) { node.size = n.size; }
        return node;
      }));
      var edges = new vis.DataSet(data.edges.map(function (e) {
        var changed = e.veranderd;
        return { id: e.id, from: e.from, to: e.to, title: e.title, dashes: e.dashes,
                 width: changed ? 4 : 1,
                 color: changed ? { color: after ? NEW : GONE } : { color: e.color, opacity: 0.45 } };
      }));
      var options = JSON.parse(JSON.stringify(data.options || {}));
      options.physics = false;
      options.layout = { randomSeed: 7, improvedLayout: false };
      box.textContent = "";
      new vis.Network(box, { nodes: nodes, edges: edges }, options);
      box.setAttribute("data-ready", "true");
    });
  }

  // ------------------------------------------------------------------ the builder

  function chosenKind(form) {
    var checked = form.querySelector("input[name=soort]:checked");
    return checked ? checked.value : "";
  }

  function showFields(form) {
    var kind = chosenKind(form);
    Array.prototype.forEach.call(form.querySelectorAll("[data-soorten]"), function (el) {
      var kinds = el.getAttribute("data-soorten").split(" ");
      el.hidden = kind !== "" && kinds.indexOf(kind) < 0;
    });
  }

  function preview(form) {
    var url = form.getAttribute("data-voorbeeld");
    var panel = document.getElementById("impact-paneel");
    if (!url || !panel || !chosenKind(form) || !window.fetch) { return; }
    var body = new FormData(form);
    form.setAttribute("aria-busy", "true");
    fetch(url, { method: "POST", body: body, credentials: "same-origin" })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var found = doc.getElementById("impact-inhoud");
        if (found) { panel.replaceChildren(document.importNode(found, true)); }
      })
      .catch(function () { /* the page still works: the change is added by the button */ })
      .then(function () { form.removeAttribute("aria-busy"); });
  }

  function builder() {
    var form = document.getElementById("wijziging-form");
    if (!form) { return; }
    var timer = null;
    function later() {
      if (timer) { window.clearTimeout(timer); }
      timer = window.setTimeout(function () { preview(form); }, 450);
    }
    form.addEventListener("change", function (event) {
      if (event.target && event.target.name === "soort") { showFields(form); }
      later();
    });
    form.addEventListener("input", function (event) {
      if (event.target && event.target.type === "text") { later(); }
    });
    showFields(form);
    var link = document.getElementById("deel-link");
    if (link) { link.addEventListener("focus", function () { link.select(); }); }
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("gewichten");
    if (form) {
      form.addEventListener("input", function () { rerank(form); });
    }
    Array.prototype.forEach.call(document.querySelectorAll("a.drill"), function (a) {
      a.addEventListener("click", function () { openDetails(a.getAttribute("href")); });
    });
    window.addEventListener("hashchange", function () { openDetails(window.location.hash); });
    openDetails(window.location.hash);
    drawNetworks();
    builder();
  });
})();
