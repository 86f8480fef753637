// sdgraph: draws the network of a gemeente (netwerk.html) with vis-network.
// The data comes from the JSON route named in data-src of #netwerk-canvas (all
// lines on the peildatum); the wet and deelgebied selects filter the drawing, the
// table rows, the counts and the download links without a reload. Labels and
// tooltips are plain text (vis-network draws labels on a canvas and sets string
// tooltips with innerText).
(function () {
  "use strict";

  function matches(item, wet, deelgebied) {
    return (!wet || item.wet === wet) && (!deelgebied || item.deelgebied === deelgebied);
  }

  function setParam(url, name, value) {
    if (value) { url.searchParams.set(name, value); } else { url.searchParams.delete(name); }
  }

  function draw(box, data) {
    var wetSelect = document.getElementById("filter-wet");
    var dgSelect = document.getElementById("filter-deelgebied");
    var centre = data.gemeente;
    var nodes = new vis.DataSet(data.nodes.map(function (n) {
      var node = { id: n.id, label: n.label, title: n.title, shape: n.shape, color: n.color };
      if (n.size) { node.size = n.size; }
      return node;
    }));
    var edges = new vis.DataSet(data.edges.map(function (e) {
      return { id: e.id, from: e.from, to: e.to, color: e.color, title: e.title, dashes: e.dashes,
               wet: e.wet, deelgebied: e.deelgebied };
    }));
    var state = { wet: "", deelgebied: "" };
    var edgeView = new vis.DataView(edges, {
      filter: function (e) { return matches(e, state.wet, state.deelgebied); }
    });
    var reached = {};
    var nodeView = new vis.DataView(nodes, {
      filter: function (n) { return n.id === centre || reached[n.id] === true; }
    });

    function apply() {
      state.wet = wetSelect ? wetSelect.value : "";
      state.deelgebied = dgSelect ? dgSelect.value : "";
      edgeView.refresh();
      reached = {};
      edgeView.forEach(function (e) { reached[e.from] = true; reached[e.to] = true; });
      nodeView.refresh();
      document.getElementById("netwerk-edges").textContent = String(edgeView.length);
      document.getElementById("netwerk-nodes").textContent = String(nodeView.length);
      var rows = document.querySelectorAll("#tabel-netwerk tbody tr");
      Array.prototype.forEach.call(rows, function (row) {
        row.hidden = !matches({ wet: row.getAttribute("data-wet"), deelgebied: row.getAttribute("data-deelgebied") },
                              state.wet, state.deelgebied);
      });
      Array.prototype.forEach.call(document.querySelectorAll("a[data-netwerk-download]"), function (a) {
        var url = new URL(a.href, window.location.href);
        setParam(url, "wet", state.wet);
        setParam(url, "deelgebied", state.deelgebied);
        a.href = url.pathname + url.search;
      });
      var page = new URL(window.location.href);
      setParam(page, "wet", state.wet);
      setParam(page, "deelgebied", state.deelgebied);
      window.history.replaceState(null, "", page.pathname + page.search + page.hash);
    }

    apply();
    box.textContent = "";
    var network = new vis.Network(box, { nodes: nodeView, edges: edgeView }, data.options);
    box.setAttribute("data-ready", "true");
    [wetSelect, dgSelect].forEach(function (select) {
      if (select) { select.addEventListener("change", function () { apply(); network.fit(); }); }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var box = document.getElementById("netwerk-canvas");
    if (!box || typeof vis === "undefined" || !window.fetch) { return; }
    fetch(box.getAttribute("data-src"), { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) { throw new Error("netwerk: HTTP " + response.status); }
        return response.json();
      })
      .then(function (data) { draw(box, data); })
      .catch(function (error) { box.setAttribute("data-error", String(error)); });
  });
})();
