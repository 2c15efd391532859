/* Live updates on consultation and proposal pages (progressive enhancement).
 *
 * Markup (see docs/live.md):
 *   data-live-group="consultation:<page id>"  or  "proposal:<proposal id>"  on any element;
 *   data-live-supports="<proposal id>"         on the element showing that proposal's supports
 *                                              (its text becomes the number; with
 *                                              data-live-one="sostegno" data-live-other="sostegni"
 *                                              it becomes "<n> <word>");
 *   data-live-comments-notice="<proposal id>"  (optional) where the "new comments" notice goes;
 *   data-live-comments-url="<url>"             (optional, on the notice) an htmx fragment to load
 *                                              instead of showing the notice.
 * The socket only receives events ("proposal.totals", "proposals.totals": the totals closing a
 * burst of votes, "comment.created"); it reconnects with
 * exponential backoff and, after reconnecting, re-reads the totals from
 * /laboratori/api/consultation/<id>/totals.json.
 */
(function () {
  "use strict";

  if (!("WebSocket" in window)) { return; }
  var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
  var routes = { consultation: "/ws/consultations/", proposal: "/ws/proposals/" };

  function updateSupports(proposalId, supports) {
    document.querySelectorAll('[data-live-supports="' + proposalId + '"]').forEach(function (node) {
      var one = node.dataset.liveOne;
      var other = node.dataset.liveOther;
      node.textContent = one && other ? supports + " " + (supports === 1 ? one : other) : supports;
    });
  }

  function resyncConsultation(pk, element) {
    var url = element.dataset.liveTotalsUrl || "/laboratori/api/consultation/" + pk + "/totals.json";
    if (!window.fetch) { return; }
    fetch(url, { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data || !data.supports) { return; }
        Object.keys(data.supports).forEach(function (id) { updateSupports(id, data.supports[id]); });
      })
      .catch(function () { /* counts stay as they are; reloading the page fixes them */ });
  }

  function noticeFor(proposalId, element) {
    var notice = document.querySelector('[data-live-comments-notice="' + proposalId + '"]');
    if (!notice) {
      notice = document.createElement("p");
      notice.className = "live-notice";
      notice.setAttribute("data-live-comments-notice", proposalId);
      element.insertAdjacentElement("afterend", notice);
    }
    if (!notice.hasAttribute("role")) {
      notice.setAttribute("role", "status");
      notice.setAttribute("aria-live", "polite");
    }
    return notice;
  }

  function newComment(proposalId, element) {
    var notice = noticeFor(proposalId, element);
    var url = notice.dataset.liveCommentsUrl;
    var target = notice.dataset.liveCommentsTarget;
    if (url && target && window.htmx) {
      window.htmx.ajax("GET", url, { target: target, swap: "outerHTML" });
      return;
    }
    if (notice.querySelector("a")) { return; }
    var label = notice.dataset.liveText || element.dataset.liveCommentsText || "Nuovi commenti:";
    var action = notice.dataset.liveLinkText || element.dataset.liveCommentsLink || "aggiorna";
    var link = document.createElement("a");
    link.href = window.location.pathname + window.location.search + "#commenti";
    link.textContent = action;
    link.addEventListener("click", function (event) {
      event.preventDefault();
      window.location.reload();
    });
    notice.textContent = label + " ";
    notice.appendChild(link);
  }

  function follow(element) {
    var parts = (element.dataset.liveGroup || "").split(":");
    var kind = parts[0];
    var pk = parseInt(parts[1], 10);
    if (!routes[kind] || !pk) { return; }
    var attempts = 0;

    function connect() {
      var socket = new WebSocket(scheme + window.location.host + routes[kind] + pk + "/");
      socket.addEventListener("open", function () {
        if (attempts > 0 && kind === "consultation") { resyncConsultation(pk, element); }
        attempts = 0;
      });
      socket.addEventListener("message", function (event) {
        var data;
        try { data = JSON.parse(event.data); } catch (error) { return; }
        var payload = data.payload || {};
        if (data.event === "proposal.totals") {
          updateSupports(payload.proposal, payload.supports);
        } else if (data.event === "proposals.totals") {
          Object.keys(payload.supports || {}).forEach(function (id) { updateSupports(id, payload.supports[id]); });
        } else if (data.event === "comment.created") {
          newComment(payload.proposal, element);
        }
      });
      socket.addEventListener("close", function () {
        attempts += 1;
        var delay = Math.min(30000, 1000 * Math.pow(2, attempts - 1));
        setTimeout(connect, delay / 2 + Math.random() * delay / 2);
      });
    }

    connect();
  }

  var seen = {};
  document.querySelectorAll("[data-live-group]").forEach(function (element) {
    var group = element.dataset.liveGroup;
    if (seen[group]) { return; } // one socket per group, however many elements name it
    seen[group] = true;
    follow(element);
  });
})();
