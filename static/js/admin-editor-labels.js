// Wagtail admin: the rich-text editors (Draftail) get the accessible name of their field's
// label (or of the panel heading that stands for it). That label points at the hidden input,
// so screen readers (and axe-core's aria-input-field-name rule) found the editable box
// nameless. Editors mounted later (inline panels such as "Aggiungi fasi", StreamField blocks)
// are named when they appear.
(function () {
  "use strict";
  var counter = 0;

  function name(box) {
    if (box.hasAttribute("aria-labelledby") || box.hasAttribute("aria-label")) return;
    // A field shown with its own label: the label sits beside it in .w-field__wrapper. A
    // field that is a panel of its own (most page fields): the panel's heading names it.
    var wrapper = box.closest(".w-field__wrapper");
    var label = wrapper && wrapper.querySelector(":scope > .w-field__label");
    if (!label && wrapper && wrapper.id) {
      label = document.getElementById(wrapper.id.replace(/-wrapper$/, "-heading"));
    }
    if (!label) {
      var panel = box.closest("[aria-labelledby]");
      label = panel && document.getElementById(panel.getAttribute("aria-labelledby"));
    }
    if (!label) return;
    if (!label.id) {
      counter += 1;
      label.id = "psm-editor-label-" + counter;
    }
    box.setAttribute("aria-labelledby", label.id);
  }

  function nameAll(root) {
    root.querySelectorAll(".public-DraftEditor-content[role='textbox']").forEach(name);
  }

  function start() {
    nameAll(document);
    new MutationObserver(function () {
      nameAll(document);
    }).observe(document.body, { childList: true, subtree: true });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
