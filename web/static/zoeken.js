// sdgraph: suggestions while typing (own code, no dependencies), an ARIA 1.2 combobox.
// Every <input data-zoek="alles|gemeente|organisatie|gr|regio|..."> asks /api/zoek.json
// for the best matches of what was typed (forgiving: accents, case, typos) and lists
// them below the field. Arrow keys move through the list, Enter or a click takes one,
// Escape closes it. What taking one does depends on data-zoek-neem:
//   "pagina" (default for search boxes): open the hit's page;
//   "code": put the hit's code in the field (GM code of a gemeente, else its IRI);
//   "iri": put the hit's IRI in the field.
(function () {
  "use strict";

  var counter = 0;

  function init(input) {
    var kind = input.getAttribute("data-zoek") || "alles";
    var take = input.getAttribute("data-zoek-neem") || "pagina";
    var endpoint = input.getAttribute("data-zoek-url") || "/api/zoek.json";
    var id = "zoek-lijst-" + (++counter);
    var list = document.createElement("ul");
    list.id = id;
    list.className = "zoek-lijst";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", input.getAttribute("data-zoek-label") || "Suggesties");
    list.hidden = true;
    var holder = document.createElement("div");
    holder.className = "zoek-houder";
    input.parentNode.insertBefore(holder, input);
    holder.appendChild(input);
    holder.appendChild(list);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", id);
    input.setAttribute("autocomplete", "off");

    var hits = [], active = -1, timer = null, asked = "";

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function mark(index) {
      var items = list.children;
      for (var i = 0; i < items.length; i++) {
        items[i].setAttribute("aria-selected", i === index ? "true" : "false");
      }
      active = index;
      if (index >= 0 && items[index]) {
        input.setAttribute("aria-activedescendant", items[index].id);
        items[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function choose(hit) {
      if (take === "pagina") {
        window.location.href = hit.url;
        return;
      }
      var gm = hit.soort === "gemeente" && /^GM\d{4}$/i.test(hit.code || "") ? hit.code.toUpperCase() : "";
      input.value = take === "code" && gm ? gm : hit.iri;
      close();
      input.dispatchEvent(new Event("change", { bubbles: true }));
    }

    function show(found) {
      hits = found;
      list.textContent = "";
      found.forEach(function (hit, i) {
        var item = document.createElement("li");
        item.id = id + "-" + i;
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", "false");
        var name = document.createElement("span");
        name.className = "zoek-naam";
        name.textContent = hit.naam;
        var about = document.createElement("span");
        about.className = "zoek-over";
        about.textContent = [hit.soortNaam || hit.soort, hit.code, hit.context,
                             hit.naam !== hit.gevonden ? "“" + hit.gevonden + "”" : ""]
          .filter(Boolean).join(" · ");
        item.appendChild(name);
        item.appendChild(about);
        item.addEventListener("mousedown", function (event) { event.preventDefault(); choose(hit); });
        list.appendChild(item);
      });
      list.hidden = found.length === 0;
      input.setAttribute("aria-expanded", found.length ? "true" : "false");
      mark(-1);
    }

    function ask() {
      var text = input.value.trim();
      if (text.length < 2 || /^https?:/.test(text)) { close(); return; }
      asked = text;
      var url = endpoint + "?q=" + encodeURIComponent(text) + "&soort=" + encodeURIComponent(kind) +
                "&limit=8&lang=" + encodeURIComponent(document.documentElement.lang || "nl");
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : { hits: [] }; })
        .then(function (data) { if (asked === text && input.value.trim() === text) { show(data.hits || []); } })
        .catch(function () { close(); });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(ask, 120);
    });
    input.addEventListener("keydown", function (event) {
      if (list.hidden) { if (event.key === "ArrowDown") { ask(); } return; }
      if (event.key === "ArrowDown") { event.preventDefault(); mark(Math.min(active + 1, hits.length - 1)); }
      else if (event.key === "ArrowUp") { event.preventDefault(); mark(Math.max(active - 1, -1)); }
      else if (event.key === "Escape") { close(); }
      else if (event.key === "Enter" && active >= 0) { event.preventDefault(); choose(hits[active]); }
    });
    input.addEventListener("blur", function () { window.setTimeout(close, 150); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("input[data-zoek]"), init);
  });
})();
