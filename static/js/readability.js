/* Plain-language gate, live: the Gulpease score of what is being written, while it is written.
 *
 * Two places use it:
 * - the Wagtail page editor (loaded by psm/wagtail_hooks.py): a box is added at the top of the
 *   edit form; the server keeps only the fields young people read (the page's
 *   readability_fields), so the whole form's text is sent;
 * - any form with a `[data-readability]` box (the answer form's include, psm/readability_box.html):
 *   the fields named in `data-readability-fields` are scored with the threshold of
 *   `data-readability-kind`.
 * The server writes every sentence shown (Italian, translatable); this file only builds the DOM.
 */
(function () {
  "use strict";
  if (window.psmReadabilityLoaded) return;
  window.psmReadabilityLoaded = true;

  var SKIP = /-(type|id|order|deleted|count|ORDER|DELETE|TOTAL_FORMS|INITIAL_FORMS|MIN_NUM_FORMS|MAX_NUM_FORMS)$/;
  var script = document.currentScript;

  function debounce(fn, wait) {
    var timer = null;
    return function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(fn, wait);
    };
  }

  /* Draftail keeps a rich text field as JSON (contentstate) in a hidden input. */
  function draftailText(value) {
    if (!value || value.charAt(0) !== "{") return null;
    try {
      var state = JSON.parse(value);
      if (state && Array.isArray(state.blocks)) {
        return state.blocks.map(function (block) { return block.text; }).join("\n");
      }
    } catch (error) { /* not rich text */ }
    return null;
  }

  function elementText(element) {
    var tag = element.tagName;
    var type = (element.type || "").toLowerCase();
    if (tag === "TEXTAREA") return draftailText(element.value) || element.value;
    if (tag !== "INPUT") return null;
    if (type === "hidden") return draftailText(element.value);
    if (type === "text" || type === "search" || type === "") return element.value;
    return null;
  }

  function collect(form, only) {
    var fields = {};
    Array.prototype.forEach.call(form.elements, function (element) {
      var name = element.name || "";
      if (!name || SKIP.test(name) || name === "csrfmiddlewaretoken") return;
      var top = name.split("-")[0];
      if (only && only.indexOf(name) === -1 && only.indexOf(top) === -1) return;
      var text = elementText(element);
      if (text === null || /^https?:\/\//.test(text)) return;
      fields[top] = fields[top] ? fields[top] + "\n" + text : text;
    });
    return fields;
  }

  function csrfToken(form) {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    if (input) return input.value;
    return window.wagtailConfig ? window.wagtailConfig.CSRF_TOKEN : "";
  }

  function render(box, data) {
    var output = box.querySelector("[data-readability-output]");
    output.textContent = "";
    var summary = document.createElement("p");
    summary.className = "readability__summary";
    summary.textContent = data.summary || "";
    output.appendChild(summary);
    box.classList.toggle("readability--below", data.passes === false);
    if (!data.verdict) return;
    var verdict = document.createElement("p");
    verdict.className = "readability__verdict";
    verdict.textContent = (data.passes === false ? "⚠ " : "✓ ") + data.verdict;
    output.appendChild(verdict);
    if (data.passes !== false || !data.worst || !data.worst.length) return;
    var heading = document.createElement("p");
    heading.className = "readability__heading";
    heading.textContent = data.worst_heading;
    output.appendChild(heading);
    var list = document.createElement("ol");
    data.worst.forEach(function (item) {
      var entry = document.createElement("li");
      entry.textContent = item.text + " (" + String(item.score).replace(".", ",") + ")";
      list.appendChild(entry);
    });
    output.appendChild(list);
  }

  function attach(box, form, request) {
    if (!box.dataset.readabilityUrl && script) {
      box.dataset.readabilityUrl = script.dataset.readabilityUrl || "";
    }
    if (!box.dataset.readabilityUrl) return;
    var only = box.dataset.readabilityFields ? box.dataset.readabilityFields.split(/\s+/) : null;
    var update = debounce(function () {
      var body = Object.assign({}, request, { fields: collect(form, only) });
      window.fetch(box.dataset.readabilityUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken(form) },
        body: JSON.stringify(body),
      })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) { if (data) render(box, data); })
        .catch(function () { /* the gate is advice: no score, no harm */ });
    }, 700);
    ["input", "change", "keyup"].forEach(function (event) {
      form.addEventListener(event, update);
    });
    update();
  }

  /* The page editor: /admin/pages/<id>/edit/ or /admin/pages/add/<app>/<model>/<parent>/. */
  function pageEditorRequest() {
    var path = window.location.pathname;
    var edit = path.match(/\/pages\/(\d+)\/edit\//);
    if (edit) return { page: Number(edit[1]) };
    var add = path.match(/\/pages\/add\/(\w+)\/(\w+)\/\d+\//);
    if (add) return { kind: add[1] + "." + add[2] };
    return null;
  }

  function editorBox(form, url) {
    var box = document.createElement("section");
    box.className = "readability readability--admin help-block help-info";
    box.setAttribute("aria-live", "polite");
    box.dataset.readabilityUrl = url;
    var heading = document.createElement("h2");
    heading.className = "readability__title";
    heading.textContent = script.dataset.title || "Leggibilità";
    var output = document.createElement("div");
    output.setAttribute("data-readability-output", "");
    box.appendChild(heading);
    box.appendChild(output);
    form.insertBefore(box, form.firstChild);
    return box;
  }

  function start() {
    document.querySelectorAll("[data-readability]").forEach(function (box) {
      var form = box.closest("form") || document.getElementById(box.dataset.readabilityForm);
      if (form) attach(box, form, { kind: box.dataset.readabilityKind || "default" });
    });
    var editor = document.querySelector("form[data-edit-form]");
    var request = pageEditorRequest();
    if (editor && request && script && script.dataset.readabilityUrl) {
      attach(editorBox(editor, script.dataset.readabilityUrl), editor, request);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
