// A text filter over a long list of checkboxes (consultations' comuni in the admin).
// Without JavaScript the filter stays hidden and the plain list works.
(function () {
  "use strict";
  function setUp(box) {
    var filter = box.querySelector("[data-filter]");
    var input = box.querySelector("[data-filter-input]");
    var count = box.querySelector("[data-filter-count]");
    var items = Array.prototype.slice.call(box.querySelectorAll(".filterable-choices__list label"));
    if (!filter || !input) return;
    filter.hidden = false;
    function update() {
      var query = input.value.trim().toLocaleLowerCase("it");
      var shown = 0;
      items.forEach(function (label) {
        var box = label.querySelector("input");
        var match = !query || label.textContent.toLocaleLowerCase("it").indexOf(query) !== -1 || (box && box.checked);
        var row = label.parentElement && label.parentElement.tagName === "DIV" ? label.parentElement : label;
        row.hidden = !match;
        if (match) shown += 1;
      });
      if (count) count.textContent = query ? shown + " / " + items.length : "";
    }
    input.addEventListener("input", update);
  }
  function start() {
    document.querySelectorAll("[data-filterable-choices]").forEach(setUp);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
