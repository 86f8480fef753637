// sdgraph: draws the network of a gemeente or a regio (netwerk.html) with vis-network.
// The data comes from the JSON route named in data-src of #netwerk-canvas (the lines on
// the peildatum; with alle=1 also those of general regio-indelingen); the wet and
// deelgebied selects filter the drawing, the table rows, the counts and the download
// links without a reload (a table longer than the page shows: with one); "Markeer"
// highlights one organisation's lines (also a click on it). The layout is the same on
// every load (a fixed seed) and stands still once drawn. Labels and tooltips are plain
// text (vis-network draws labels on a canvas and sets string tooltips with innerText).
(function () {
  "use strict";

  function matches(item, wet, deelgebied, alle) {
    return (!wet || item.wet === wet) && (!deelgebied || item.deelgebied === deelgebied) &&
      (alle || item.sociaal !== false);
  }

  function setParam(url, name, value) {
    if (value) { url.searchParams.set(name, value); } else { url.searchParams.delete(name); }
  }

  function draw(box, data) {
    var wetSelect = document.getElementById("filter-wet");
    var dgSelect = document.getElementById("filter-deelgebied");
    var alleBox = document.getElementById("filter-alle");
    var markSelect = document.getElementById("markeer");
    var centre = data.gemeente;
    var kept = {};
    data.nodes.forEach(function (n) { if (n.soort === "lid") { kept[n.id] = true; } });
    var nodes = new vis.DataSet(data.nodes.map(function (n) {
      var node = { id: n.id, label: n.label, title: n.title, shape: n.shape, color: n.color };
      if (n.size) { node.size = n.size; }
      return node;
    }));
    var edges = new vis.DataSet(data.edges.map(function (e) {
      return { id: e.id, from: e.from, to: e.to, color: e.color, title: e.title, dashes: e.dashes,
               wet: e.wet, deelgebied: e.deelgebied, sociaal: e.sociaal, colour: e.color, width: 2 };
    }));
    var state = { wet: "", deelgebied: "", alle: false };
    var edgeView = new vis.DataView(edges, {
      filter: function (e) { return matches(e, state.wet, state.deelgebied, state.alle); }
    });
    var reached = {};
    var nodeView = new vis.DataView(nodes, {
      filter: function (n) { return n.id === centre || kept[n.id] === true || reached[n.id] === true; }
    });

    // one organisation's lines stand out, the others fade
    function highlight(id) {
      var updates = [];
      edges.forEach(function (e) {
        var mine = !id || e.from === id || e.to === id;
        updates.push({ id: e.id, color: mine ? e.colour : "#d9d9d9", width: id && mine ? 4 : 2 });
      });
      edges.update(updates);
      Array.prototype.forEach.call(document.querySelectorAll("#tabel-netwerk tbody tr"), function (row) {
        var mine = id && (row.getAttribute("data-van") === id || row.getAttribute("data-naar") === id);
        row.classList.toggle("markeer", Boolean(mine));
      });
      if (markSelect && markSelect.value !== (id || "")) { markSelect.value = id || ""; }
    }

    function apply() {
      state.wet = wetSelect ? wetSelect.value : "";
      state.deelgebied = dgSelect ? dgSelect.value : "";
      state.alle = alleBox ? alleBox.checked : false;
      edgeView.refresh();
      reached = {};
      edgeView.forEach(function (e) { reached[e.from] = true; reached[e.to] = true; });
      nodeView.refresh();
      document.getElementById("netwerk-edges").textContent = String(edgeView.length);
      document.getElementById("netwerk-nodes").textContent = String(nodeView.length);
      var rows = document.querySelectorAll("#tabel-netwerk tbody tr");
      Array.prototype.forEach.call(rows, function (row) {
        row.hidden = !matches({ wet: row.getAttribute("data-wet"), deelgebied: row.getAttribute("data-deelgebied"),
                                sociaal: row.getAttribute("data-sociaal") !== "nee" },
                              state.wet, state.deelgebied, state.alle);
      });
      Array.prototype.forEach.call(document.querySelectorAll("a[data-netwerk-download]"), function (a) {
        var url = new URL(a.href, window.location.href);
        setParam(url, "wet", state.wet);
        setParam(url, "deelgebied", state.deelgebied);
        setParam(url, "alle", state.alle ? "1" : "");
        a.href = url.pathname + url.search;
      });
      var page = new URL(window.location.href);
      setParam(page, "wet", state.wet);
      setParam(page, "deelgebied", state.deelgebied);
      setParam(page, "alle", state.alle ? "1" : "");
      window.history.replaceState(null, "", page.pathname + page.search + page.hash);
    }

    apply();
    box.textContent = "";
    var network = new vis.Network(box, { nodes: nodeView, edges: edgeView }, data.options);
    network.once("stabilizationIterationsDone", function () { network.setOptions({ physics: false }); });
    box.setAttribute("data-ready", "true");
    // a table too long for the page holds the lines the server's filter chose: a change of
    // filter asks the server for the page again (the form), rather than hide rows
    var table = document.getElementById("tabel-netwerk");
    var form = document.getElementById("netwerk-filters");
    var byServer = table && table.hasAttribute("data-server-filter") && form;
    [wetSelect, dgSelect, alleBox].forEach(function (select) {
      if (!select) { return; }
      select.addEventListener("change", function () {
        if (byServer) { form.submit(); return; }
        apply(); network.fit();
      });
    });
    if (markSelect) { markSelect.addEventListener("change", function () { highlight(markSelect.value); }); }
    network.on("click", function (params) { highlight(params.nodes.length ? params.nodes[0] : ""); });
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
