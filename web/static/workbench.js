// sdgraph SPARQL workbench: turns the query textarea into a CodeMirror editor
// (vendored in static/vendor/codemirror) with SPARQL highlighting and completion
// of the project's prefixes and terms (fetched once from this host as JSON).
// Without this file the page is a plain textarea and a submit button.
(function () {
  "use strict";

  var NAME_CHAR = /[A-Za-z0-9_\-.:\/]/;
  var MAX_HINTS = 60;

  // The prefixed name (or word) being typed just before the cursor.
  function currentWord(cm) {
    var cur = cm.getCursor();
    var line = cm.getLine(cur.line);
    var start = cur.ch;
    while (start > 0 && NAME_CHAR.test(line.charAt(start - 1))) { start -= 1; }
    return { text: line.slice(start, cur.ch), from: CodeMirror.Pos(cur.line, start), to: cur };
  }

  function escapeRegExp(text) {
    return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }

  // Where a PREFIX line goes: before the first line that is not a comment or blank.
  function prefixLine(cm) {
    for (var i = 0; i < cm.lineCount(); i += 1) {
      var text = cm.getLine(i).trim();
      if (text !== "" && text.charAt(0) !== "#") { return i; }
    }
    return 0;
  }

  function declarePrefix(cm, prefix, namespace) {
    var declared = new RegExp("^\\s*PREFIX\\s+" + escapeRegExp(prefix) + ":", "im");
    if (declared.test(cm.getValue())) { return; }
    var line = prefixLine(cm);
    cm.replaceRange("PREFIX " + prefix + ": <" + namespace + ">\n", CodeMirror.Pos(line, 0));
  }

  function render(element, self, data) {
    var name = document.createElement("span");
    name.className = "wb-hint-name";
    name.textContent = data.displayText;
    element.appendChild(name);
    if (data.detail) {
      var detail = document.createElement("span");
      detail.className = "wb-hint-detail";
      detail.textContent = data.detail;
      element.appendChild(detail);
    }
  }

  function completion(display, insert, detail, prefix, namespace) {
    return {
      text: insert,
      displayText: display,
      detail: detail,
      render: render,
      hint: function (cm, self, data) {
        cm.replaceRange(data.text, self.from, self.to, "complete");
        if (prefix !== null) { declarePrefix(cm, prefix, namespace); }
      }
    };
  }

  function Vocabulary(json) {
    var prefixes = json.prefixes || {};
    this.prefixes = prefixes;
    this.terms = (json.terms || []).map(function (term) {
      var display = term.name, prefix = null;
      Object.keys(prefixes).forEach(function (p) {
        var ns = prefixes[p];
        if (term.iri.indexOf(ns) === 0 && (prefix === null || ns.length > prefixes[prefix].length)) {
          prefix = p;
        }
      });
      if (display === null) {
        display = prefix !== null ? prefix + ":" + term.iri.slice(prefixes[prefix].length) : term.iri;
      }
      return {
        display: display,
        insert: term.name || "<" + term.iri + ">",
        prefix: term.name ? prefix : null,
        label: term.label || "",
        kind: term.kind,
        search: display.toLowerCase(),
        labelSearch: (term.label || "").toLowerCase()
      };
    });
  }

  Vocabulary.prototype.hints = function (word) {
    var needle = word.toLowerCase();
    var list = [], later = [];
    var prefixes = this.prefixes;
    if (needle.indexOf(":") < 0) {
      Object.keys(prefixes).forEach(function (p) {
        if (p.indexOf(needle) === 0) {
          list.push(completion(p + ":", p + ":", prefixes[p], p, prefixes[p]));
        }
      });
    }
    this.terms.forEach(function (t) {
      var local = t.search.slice(t.search.indexOf(":") + 1);
      var hit = t.search.indexOf(needle) === 0 ||
        (needle.indexOf(":") < 0 && needle.length >= 2 &&
         (local.indexOf(needle) === 0 || t.labelSearch.indexOf(needle) === 0));
      if (hit) {
        var detail = t.label ? t.label + " · " + t.kind : t.kind;
        var item = completion(t.display, t.insert, detail, t.prefix, t.prefix ? prefixes[t.prefix] : "");
        // what matches the case as typed first (sd:Gem: the classes before sd:gemeentecode)
        (t.display.indexOf(word) === 0 ? list : later).push(item);
      }
    });
    return list.concat(later).slice(0, MAX_HINTS);
  };

  function initEditor(form, textarea) {
    var vocabulary = new Vocabulary({});
    var label = document.querySelector("label[for='" + textarea.id + "']");
    var cm = CodeMirror.fromTextArea(textarea, {
      mode: "application/sparql-query",
      lineNumbers: true,
      indentUnit: 2,
      lineWrapping: false,
      screenReaderLabel: label ? label.textContent : "SPARQL",
      extraKeys: {
        "Ctrl-Space": function (editor) { showHints(editor, true); },
        "Ctrl-Enter": submit,
        "Cmd-Enter": submit
      }
    });

    // the editor's scroll area can be reached with the keyboard (WCAG 2.1.1)
    var scroller = cm.getScrollerElement();
    scroller.setAttribute("tabindex", "0");
    scroller.setAttribute("aria-label", label ? label.textContent : "SPARQL");

    function submit(editor) {
      editor.save();
      if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
    }

    function hintSource(editor) {
      var word = currentWord(editor);
      var list = vocabulary.hints(word.text);
      return list.length ? { list: list, from: word.from, to: word.to } : null;
    }

    function showHints(editor, manual) {
      if (!manual && !/^[A-Za-z][\w\-.]*:[\w\-.\/]*$/.test(currentWord(editor).text)) { return; }
      editor.showHint({ hint: hintSource, completeSingle: false });
    }

    cm.on("inputRead", function (editor, change) {
      if (change.origin === "+input" && /^[A-Za-z0-9_:\-]$/.test(change.text.join(""))) {
        showHints(editor, false);
      }
    });

    var url = form.getAttribute("data-terms");
    if (url && window.fetch) {
      window.fetch(url, { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : {}; })
        .then(function (json) {
          vocabulary = new Vocabulary(json);
          form.setAttribute("data-terms-loaded", String(vocabulary.terms.length));
        })
        .catch(function () { form.setAttribute("data-terms-loaded", "0"); });
    }
    markError(cm);
    return cm;
  }

  // A syntax error reported by the server: mark its line and put the cursor there.
  function markError(cm) {
    var box = document.querySelector(".wb-error[data-line]");
    if (!box) { return; }
    var line = parseInt(box.getAttribute("data-line"), 10) - 1;
    var column = parseInt(box.getAttribute("data-column"), 10) - 1;
    if (isNaN(line) || line < 0 || line >= cm.lineCount()) { return; }
    cm.addLineClass(line, "background", "wb-error-line");
    var from = CodeMirror.Pos(line, Math.max(column, 0));
    cm.markText(from, CodeMirror.Pos(line, from.ch + 1), { className: "wb-error-mark" });
    cm.setCursor(from);
    cm.scrollIntoView(from, 60);
  }

  function initCopy() {
    var button = document.querySelector(".wb-copy");
    var link = document.getElementById("permalink");
    if (!button || !link || !navigator.clipboard) { return; }
    var status = document.querySelector(".wb-copy-status");
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(link.href).then(
        function () { status.textContent = button.getAttribute("data-copied"); },
        function () { status.textContent = button.getAttribute("data-failed"); }
      );
    });
  }

  function initExamples() {
    var select = document.getElementById("voorbeeld");
    if (!select) { return; }
    select.addEventListener("change", function () {
      if (select.value) { select.form.submit(); }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("werkbank");
    var textarea = document.getElementById("query");
    if (form && textarea && window.CodeMirror) { initEditor(form, textarea); }
    initCopy();
    initExamples();
  });
})();
