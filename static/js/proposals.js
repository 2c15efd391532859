/* Proposals: draft autosave (never lose what you wrote) and the budget ballot total.
   Everything works without this file; it only adds comfort. */
(function () {
  "use strict";

  var storage;
  try {
    storage = window.localStorage;
    storage.setItem("psm-probe", "1");
    storage.removeItem("psm-probe");
  } catch (e) {
    storage = null;
  }

  // After a successful submit the server marks the draft to forget.
  document.querySelectorAll("[data-clear-draft]").forEach(function (marker) {
    if (storage) { storage.removeItem(marker.getAttribute("data-clear-draft")); }
  });

  // Drafts are keyed to the account ("psm-draft-<opaque owner id>-..."). On a shared
  // computer, forget every draft that is not this account's (another person's, or one saved
  // before drafts had an owner): the logout clears them too, but a session can just expire.
  function forgetOthersDrafts(ownPrefix) {
    if (!storage || !ownPrefix) { return; }
    var stale = [];
    for (var i = 0; i < storage.length; i += 1) {
      var name = storage.key(i);
      if (name && name.indexOf("psm-draft-") === 0 && name.indexOf(ownPrefix) !== 0) {
        stale.push(name);
      }
    }
    stale.forEach(function (name) { storage.removeItem(name); });
  }

  function autosave(form) {
    if (!storage) { return; }
    forgetOthersDrafts(form.getAttribute("data-draft-prefix"));
    var key = form.getAttribute("data-autosave-key");
    var fields = Array.prototype.filter.call(form.elements, function (el) {
      return el.name && el.name !== "csrfmiddlewaretoken" && el.type !== "file" &&
        el.type !== "hidden" && el.type !== "submit" && el.type !== "button";
    });

    function save() {
      var data = {};
      fields.forEach(function (el) {
        data[el.name] = el.type === "checkbox" ? el.checked : el.value;
      });
      data._savedAt = new Date().toISOString();
      storage.setItem(key, JSON.stringify(data));
    }

    // Restore: only into fields the page left empty (the server's values win).
    var saved = null;
    try { saved = JSON.parse(storage.getItem(key) || "null"); } catch (e) { saved = null; }
    if (saved) {
      var restored = false;
      fields.forEach(function (el) {
        if (!(el.name in saved)) { return; }
        if (el.type === "checkbox") { return; }
        var isEmpty = el.tagName === "SELECT" ? !el.value : el.value.trim() === "";
        if (isEmpty && saved[el.name]) {
          el.value = saved[el.name];
          restored = true;
        }
      });
      var status = document.getElementById("draft-status");
      if (restored && status) { status.textContent = form.getAttribute("data-restored-text"); }
    }

    var timer = null;
    form.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(save, 300);
    });
    form.addEventListener("change", save);
    // Also save right before leaving (e.g. the session expired and the submit goes to login).
    form.addEventListener("submit", save);
  }

  document.querySelectorAll("form[data-autosave-key]").forEach(autosave);

  // Budget ballot: live total (the server enforces the budget anyway).
  document.querySelectorAll("form[data-budget]").forEach(function (form) {
    var budget = parseFloat(form.getAttribute("data-budget")) || 0;
    var out = form.querySelector("[data-budget-total]");
    var totalBox = form.querySelector(".budget-total");
    function update() {
      var total = 0;
      form.querySelectorAll("input[data-cost]:checked").forEach(function (box) {
        total += parseFloat(box.getAttribute("data-cost")) || 0;
      });
      if (out) { out.textContent = total.toFixed(2); }
      if (totalBox) { totalBox.classList.toggle("over-budget", total > budget); }
    }
    form.addEventListener("change", update);
    update();
  });
})();
