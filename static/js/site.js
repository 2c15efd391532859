/* PSM Giovani: progressive enhancements. Every page works without this file. */
(function () {
  "use strict";

  // A select marked data-searchable-select gets a filter box above it (e.g. the 312 comuni).
  function enhanceSearchableSelect(select) {
    var wrapper = document.createElement("div");
    var input = document.createElement("input");
    var label = document.createElement("label");
    var inputId = select.id + "-filter";
    label.setAttribute("for", inputId);
    label.className = "visually-hidden";
    label.textContent = select.dataset.filterLabel || "Filtra l'elenco";
    input.type = "search";
    input.id = inputId;
    input.setAttribute("autocomplete", "off");
    input.setAttribute("placeholder", select.dataset.filterPlaceholder || "Scrivi per filtrare…");
    input.setAttribute("aria-controls", select.id);
    wrapper.className = "mb-2";
    wrapper.appendChild(label);
    wrapper.appendChild(input);
    select.parentNode.insertBefore(wrapper, select);
    var options = Array.prototype.slice.call(select.options);
    input.addEventListener("input", function () {
      var needle = input.value.trim().toLocaleLowerCase("it");
      var firstMatch = null;
      options.forEach(function (option) {
        var match = !needle || option.value === "" || option.text.toLocaleLowerCase("it").indexOf(needle) !== -1;
        option.hidden = !match;
        if (match && option.value && !firstMatch) { firstMatch = option; }
      });
      if (firstMatch && needle) { select.value = firstMatch.value; }
    });
  }

  document.querySelectorAll("select[data-searchable-select]").forEach(enhanceSearchableSelect);
})();
