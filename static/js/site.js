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

  // "Entra con SPID" (accounts/includes/identity_buttons.html): the button opens the providers'
  // list in place instead of leading to its page. Enter, Space or a click toggle it; the arrows,
  // Home and End move between its links; Escape closes it and returns to the button; a click
  // or Tab elsewhere closes it.
  function enhanceIdentityMenu(wrapper) {
    var toggle = wrapper.querySelector("[aria-controls]");
    var menu = toggle && document.getElementById(toggle.getAttribute("aria-controls"));
    if (!menu) { return; }
    function links() { return Array.prototype.slice.call(menu.querySelectorAll("a")); }
    function setOpen(open) {
      menu.hidden = !open;
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    }
    toggle.addEventListener("click", function (event) {
      event.preventDefault();
      setOpen(menu.hidden);
    });
    wrapper.addEventListener("keydown", function (event) {
      var list = links();
      var index = list.indexOf(document.activeElement);
      var target = null;
      if (event.key === " " && document.activeElement === toggle) {
        event.preventDefault();
        setOpen(menu.hidden);
      } else if (event.key === "Escape" && !menu.hidden) {
        event.preventDefault();
        setOpen(false);
        toggle.focus();
      } else if (event.key === "ArrowDown") {
        target = list[(index + 1) % list.length];
      } else if (event.key === "ArrowUp") {
        target = list[(index <= 0 ? list.length : index) - 1];
      } else if (event.key === "Home" && index !== -1) {
        target = list[0];
      } else if (event.key === "End" && index !== -1) {
        target = list[list.length - 1];
      }
      if (target) {
        event.preventDefault();
        setOpen(true);
        target.focus();
      }
    });
    wrapper.addEventListener("focusout", function (event) {
      if (event.relatedTarget && !wrapper.contains(event.relatedTarget)) { setOpen(false); }
    });
    document.addEventListener("click", function (event) {
      if (!wrapper.contains(event.target)) { setOpen(false); }
    });
  }

  document.querySelectorAll("[data-identity-menu]").forEach(enhanceIdentityMenu);
})();
