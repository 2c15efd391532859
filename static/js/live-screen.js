/* The room's screen: a "Schermo intero" button (Fullscreen API). The button stays hidden
 * where the browser cannot go full screen; Esc also leaves it. */
(function () {
  "use strict";

  var button = document.querySelector("[data-live-fullscreen]");
  var root = document.documentElement;
  if (!button || !document.fullscreenEnabled || !root.requestFullscreen) { return; }

  function label() {
    var on = Boolean(document.fullscreenElement);
    button.textContent = on ? button.dataset.textExit : button.dataset.textEnter;
  }

  button.addEventListener("click", function () {
    var request = document.fullscreenElement ? document.exitFullscreen() : root.requestFullscreen();
    if (request && request.catch) { request.catch(function () { /* refused: nothing to do */ }); }
  });
  document.addEventListener("fullscreenchange", label);
  button.hidden = false;
  label();
})();
