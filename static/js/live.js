/* Live workshops: projector, phone and console pages follow the session over a WebSocket.
 * Progressive enhancement: without this file the pages work with their "Aggiorna" links and
 * forms. The socket only receives; every write is an ordinary form POST.
 *
 * Events: "live.state" {key, activity: {id, total, results}} updates bars and counts in place
 * when the page shows the same thing (same key), otherwise the region is fetched again as an
 * HTML fragment; "live.console" makes the console fetch its fragment (coalesced). The console
 * follows the projector's socket (it also receives the console's events there).
 * While the socket is open, the "Aggiorna" links ([data-live-fallback]) are hidden; when the
 * session ends ([data-live-ended] in the region), the screen's joining panel goes.
 */
(function () {
  "use strict";

  var region = document.querySelector("[data-live-region]");
  if (!region || !("WebSocket" in window) || !window.fetch) { return; }

  var statusBox = document.querySelector("[data-live-status]");
  var isConsole = region.dataset.liveMode === "console";
  var socketPath = region.dataset.liveSocket;
  var fragmentUrl = region.dataset.liveFragment;
  var texts = {
    lost: region.dataset.liveTextLost || "Connessione persa: riprovo. Puoi sempre usare «Aggiorna».",
    back: region.dataset.liveTextBack || "Aggiornamenti dal vivo di nuovo attivi.",
    changed: region.dataset.liveTextChanged || "La schermata è cambiata."
  };
  var attempts = 0;
  var everOpen = false;
  var fetching = false;
  var fetchAgain = false;
  var pending = null;
  var deferred = false;
  var highest = {}; // activity id -> highest total seen: events may arrive out of order

  function say(text) { if (statusBox) { statusBox.textContent = text; } }

  function fallback(show) {
    document.querySelectorAll("[data-live-fallback]").forEach(function (node) {
      node.hidden = !show;
    });
  }

  function ended() {
    if (!region.querySelector("[data-live-ended]")) { return; }
    document.querySelectorAll("[data-live-join]").forEach(function (node) {
      node.parentNode.removeChild(node);
    });
    document.querySelectorAll(".live-screen-joining").forEach(function (node) {
      node.classList.remove("live-screen-joining");
    });
  }

  function currentKey() {
    var state = region.querySelector("[data-live-state]");
    return state ? state.dataset.liveKey : "";
  }

  function regionHasFocus() {
    return region.contains(document.activeElement) && document.activeElement !== document.body;
  }

  function refresh() {
    if (fetching) { fetchAgain = true; return; }
    if (regionHasFocus()) { deferred = true; return; }
    fetching = true;
    fetch(fragmentUrl, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.text();
      })
      .then(function (html) {
        var before = currentKey();
        // never pull the page from under someone's keyboard focus (typing, choosing, a button)
        if (regionHasFocus()) { deferred = true; return; }
        region.innerHTML = html;
        ended();
        if (!isConsole && before && before !== currentKey()) { say(texts.changed); }
      })
      .catch(function () { /* the page still works with its links */ })
      .then(function () {
        fetching = false;
        if (fetchAgain) { fetchAgain = false; schedule(); }
      });
  }

  function schedule() {
    if (pending) { return; }
    pending = setTimeout(function () { pending = null; refresh(); }, 300);
  }

  function setNumber(selector, value) {
    region.querySelectorAll(selector).forEach(function (node) { node.textContent = value; });
  }

  function apply(payload) {
    if (!payload || payload.key !== currentKey()) { schedule(); return; }
    var activity = payload.activity;
    if (!activity) { return; }
    if ((highest[activity.id] || 0) > activity.total) { return; }
    highest[activity.id] = activity.total;
    setNumber("[data-live-total]", activity.total);
    var results = activity.results;
    if (!results) { return; }
    var list = region.querySelector("[data-live-results]");
    if (list) {
      results.items.forEach(function (item) {
        var row = list.querySelector('[data-index="' + item.index + '"]');
        if (!row) { return; }
        var bar = row.querySelector("[data-live-bar]");
        if (bar) {
          bar.className = bar.className.replace(/\blive-pct-\d+\b/, "live-pct-" + item.percent);
        }
        var count = row.querySelector("[data-live-count]");
        if (count) { count.textContent = item.count; }
        var percent = row.querySelector("[data-live-percent]");
        if (percent) { percent.textContent = item.percent; }
        list.appendChild(row); // keeps the order of the payload (rankings move)
      });
    }
    if (results.average !== null && results.average !== undefined) {
      setNumber("[data-live-average]", String(results.average).replace(".", ","));
    }
  }

  function connect() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    var socket;
    try {
      socket = new WebSocket(scheme + window.location.host + socketPath);
    } catch (error) {
      retry();
      return;
    }
    socket.addEventListener("open", function () {
      if (attempts > 0 || everOpen) { say(texts.back); }
      attempts = 0;
      everOpen = true;
      fallback(false);
      refresh(); // re-sync: anything may have happened while we were away
    });
    socket.addEventListener("message", function (event) {
      var data;
      try { data = JSON.parse(event.data); } catch (error) { return; }
      if (isConsole || data.event !== "live.state") { schedule(); return; }
      apply(data.payload);
    });
    socket.addEventListener("close", retry);
  }

  function retry() {
    attempts += 1;
    if (attempts === 2) { say(texts.lost); fallback(true); }
    var delay = Math.min(30000, 1000 * Math.pow(2, attempts - 1));
    setTimeout(connect, delay / 2 + Math.random() * delay / 2);
  }

  region.addEventListener("focusout", function () {
    setTimeout(function () { // focus may just be moving to another control of the region
      if (deferred && !regionHasFocus()) { deferred = false; schedule(); }
    }, 0);
  });

  connect();
})();
