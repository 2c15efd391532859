/* Leadership civica: deadline countdown and application autosave (server + browser backup).
   Every page works without this file: the form also saves with its own button. */
(function () {
  "use strict";

  // ---------------------------------------------------------------- countdown
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  document.querySelectorAll("[data-countdown]").forEach(function (el) {
    var deadline = Date.parse(el.getAttribute("data-countdown"));
    if (isNaN(deadline)) { return; }
    function tick() {
      var left = Math.max(0, Math.floor((deadline - Date.now()) / 1000));
      var days = Math.floor(left / 86400);
      var hours = Math.floor((left % 86400) / 3600);
      var minutes = Math.floor((left % 3600) / 60);
      var seconds = left % 60;
      if (left === 0) {
        el.textContent = el.getAttribute("data-msg-closed") || "Il bando è chiuso.";
        return;
      }
      var dayWord = days === 1 ? (el.getAttribute("data-msg-day") || "giorno")
        : (el.getAttribute("data-msg-days") || "giorni");
      el.textContent = (el.getAttribute("data-msg-left") || "Mancano") + " " + days + " " +
        dayWord + ", " + pad(hours) + ":" + pad(minutes) + ":" + pad(seconds) + ".";
      window.setTimeout(tick, 1000);
    }
    tick();
  });

  // ---------------------------------------------------------------- stale backups
  document.querySelectorAll("[data-clear-draft]").forEach(function (el) {
    try { window.localStorage.removeItem(el.getAttribute("data-clear-draft")); } catch (e) { /* private mode */ }
  });

  // ---------------------------------------------------------------- autosave
  var form = document.getElementById("application-form");
  if (!form) { return; }
  var status = document.getElementById("autosave-status");
  var key = form.getAttribute("data-draft-key");
  var url = form.getAttribute("data-autosave-url");
  var savedAt = Date.parse(form.getAttribute("data-saved-at") || "") || 0;
  var timer = null;
  var saving = false;
  var dirty = false;

  function say(text) { if (status) { status.textContent = text; } }

  function values() {
    var data = {};
    Array.prototype.forEach.call(form.elements, function (field) {
      if (!field.name || field.name === "csrfmiddlewaretoken" || field.type === "file") { return; }
      if ((field.type === "radio" || field.type === "checkbox") && !field.checked) { return; }
      data[field.name] = field.value;
    });
    return data;
  }

  function backup() {
    try {
      window.localStorage.setItem(key, JSON.stringify({ t: Date.now(), values: values() }));
    } catch (e) { /* storage full or disabled: the server copy still works */ }
  }

  function restore() {
    var raw = null;
    try { raw = window.localStorage.getItem(key); } catch (e) { return false; }
    if (!raw) { return false; }
    var saved;
    try { saved = JSON.parse(raw); } catch (e) { return false; }
    if (!saved || !saved.values || saved.t <= savedAt) { return false; }
    var changed = false;
    Object.keys(saved.values).forEach(function (name) {
      var fields = form.querySelectorAll("[name='" + name.replace(/'/g, "") + "']");
      Array.prototype.forEach.call(fields, function (field) {
        if (field.type === "radio") {
          var on = field.value === saved.values[name];
          if (field.checked !== on) { field.checked = on; changed = true; }
        } else if (field.value !== saved.values[name]) {
          field.value = saved.values[name];
          changed = true;
        }
      });
    });
    return changed;
  }

  function save() {
    timer = null;
    if (saving) { dirty = true; return; }
    saving = true;
    dirty = false;
    say(form.getAttribute("data-msg-saving"));
    fetch(url, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      redirect: "manual",
      headers: { "X-Requested-With": "fetch" }
    }).then(function (response) {
      if (!response.ok) { throw new Error("status " + response.status); }
      return response.json();
    }).then(function (payload) {
      if (!payload.ok) { throw new Error(payload.error); }
      savedAt = Date.parse(payload.saved_at) || Date.now();
      try { window.localStorage.removeItem(key); } catch (e) { /* ignore */ }
      say(payload.message);
    }).catch(function () {
      say(form.getAttribute("data-msg-offline"));
    }).then(function () {
      saving = false;
      if (dirty) { schedule(); }
    });
  }

  function schedule() {
    if (timer) { window.clearTimeout(timer); }
    timer = window.setTimeout(save, 2000);
  }

  form.addEventListener("input", function () { backup(); schedule(); });
  form.addEventListener("change", function () { backup(); schedule(); });
  window.addEventListener("pagehide", function () { if (timer) { backup(); } });

  if (restore()) {
    say(form.getAttribute("data-msg-restored"));
    schedule();
  }
})();
