/* PSM Giovani: maps for proposal locations (Leaflet, progressive enhancement).
 *
 * - A form with latitude/longitude inputs gets a map above them: a tap or click sets the point
 *   (the inputs stay usable by keyboard and screen readers, and stay the source of truth).
 * - An element with data-map-point="lat,lon" becomes a small map showing that point.
 * Tiles come from the MAP_TILE_URL setting; with none configured, the 312 comuni are drawn as
 * labelled dots so the map still gives a sense of place.
 */
(function () {
  "use strict";
  if (typeof L === "undefined") { return; }
  var body = document.body;
  var CENTER = [45.12, 7.55];
  /* The few words the map says itself; the page's language picks them. */
  var WORDS = {
    it: {
      zoomIn: "Ingrandisci la mappa",
      zoomOut: "Riduci la mappa",
      keyboard: "Con la tastiera: le frecce spostano la mappa, + e − cambiano lo zoom, Invio mette il punto al centro della mappa.",
      placed: "Punto messo al centro della mappa."
    },
    en: {
      zoomIn: "Zoom in",
      zoomOut: "Zoom out",
      keyboard: "With the keyboard: arrows move the map, + and − zoom, Enter puts the point at the centre of the map.",
      placed: "Point placed at the centre of the map."
    }
  };
  var words = WORDS[(document.documentElement.lang || "it").slice(0, 2)] || WORDS.it;

  /* One tab stop for the whole map: the comuni dots are pictures, not controls. */
  function outOfTabOrder(layer) {
    var element = layer.getElement && layer.getElement();
    if (element) {
      element.setAttribute("tabindex", "-1");
      element.setAttribute("focusable", "false");
    }
  }

  function baseMap(element) {
    var map = L.map(element, { scrollWheelZoom: false, zoomControl: false }).setView(CENTER, 9);
    L.control.zoom({ zoomInTitle: words.zoomIn, zoomOutTitle: words.zoomOut }).addTo(map);
    var tiles = body.dataset.mapTiles;
    if (tiles) {
      L.tileLayer(tiles, { maxZoom: 18, attribution: body.dataset.mapAttribution || "" }).addTo(map);
    }
    var url = body.dataset.mapComuni;
    if (url) {
      fetch(url, { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : { comuni: [] }; })
        .then(function (data) {
          data.comuni.forEach(function (comune) {
            var dot = L.circleMarker([comune.lat, comune.lon], {
              radius: tiles ? 2 : 3, color: "#5c6f82", weight: 1, fillOpacity: 0.6, interactive: !tiles
            }).bindTooltip(comune.name).addTo(map);
            outOfTabOrder(dot);
          });
        })
        .catch(function () { /* the map still works without the reference layer */ });
    }
    return map;
  }

  function pointMarker(latlng) {
    return L.circleMarker(latlng, { radius: 9, color: "#b3001b", weight: 3, fillColor: "#ffffff", fillOpacity: 1 });
  }

  function enhancePicker(latInput, lonInput) {
    var holder = document.createElement("div");
    holder.className = "map-picker mb-3";
    holder.setAttribute("role", "region");
    holder.setAttribute("aria-label", latInput.form.dataset.mapLabel || "Mappa");
    var hint = document.createElement("p");
    hint.className = "form-text";
    hint.id = "map-picker-hint";
    hint.textContent = (latInput.form.dataset.mapHint || "") + " " + words.keyboard;
    holder.setAttribute("aria-describedby", hint.id);
    var status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("aria-live", "polite");
    var field = latInput.closest(".field") || latInput.parentNode;
    field.parentNode.insertBefore(hint, field);
    field.parentNode.insertBefore(holder, hint);
    field.parentNode.insertBefore(status, field);
    var map = baseMap(holder);
    var marker = null;

    function show() {
      var lat = parseFloat(latInput.value), lon = parseFloat(lonInput.value);
      if (isNaN(lat) || isNaN(lon)) { return; }
      if (marker) { marker.setLatLng([lat, lon]); } else { marker = pointMarker([lat, lon]).addTo(map); }
    }
    function place(latlng) {
      latInput.value = latlng.lat.toFixed(6);
      lonInput.value = latlng.lng.toFixed(6);
      latInput.dispatchEvent(new Event("input", { bubbles: true }));
      show();
      if (marker) { outOfTabOrder(marker); }
    }
    map.on("click", function (event) { place(event.latlng); });
    /* Leaflet's own keyboard handling pans (arrows) and zooms (+/−); Enter places the point. */
    holder.addEventListener("keydown", function (event) {
      if (event.key !== "Enter" || event.target !== holder) { return; }
      event.preventDefault();
      place(map.getCenter());
      status.textContent = words.placed;
    });
    latInput.addEventListener("change", show);
    lonInput.addEventListener("change", show);
    show();
  }

  function enhancePoint(element) {
    var parts = (element.dataset.mapPoint || "").split(",").map(parseFloat);
    if (parts.length !== 2 || isNaN(parts[0]) || isNaN(parts[1])) { return; }
    var map = baseMap(element);
    pointMarker(parts).addTo(map);
    map.setView(parts, 11);
  }

  var lat = document.querySelector("form input[name=latitude]");
  var lon = document.querySelector("form input[name=longitude]");
  if (lat && lon) { enhancePicker(lat, lon); }
  document.querySelectorAll("[data-map-point]").forEach(enhancePoint);
})();
