/* The ORT commerce page's map (templates/ort/commerce.html): the dossier's ORT secteurs and périmètre
   d'intervention drawn with the vendored Leaflet; a click puts the project's point there and fills the
   longitude and latitude fields (French decimal comma), which stay the form's fields: without this script,
   or without a mouse, the agent types them. A background only when the page gives one. */
(function () {
  "use strict";

  var STYLES = {
    centre: { color: "#18753c", weight: 3, fillOpacity: 0.15 },
    secteur: { color: "#716043", weight: 3, fillOpacity: 0.1 },
    perimetre: { color: "#000091", weight: 2, dashArray: "6 4", fillOpacity: 0.03 }
  };
  var DECIMALES = 1e6;

  function lire(champ) {
    var v = parseFloat(String(champ.value).replace(/\s/g, "").replace(",", "."));
    return isFinite(v) ? v : null;
  }

  function ecrire(champ, valeur) {
    champ.value = String(Math.round(valeur * DECIMALES) / DECIMALES).replace(".", ",");
    champ.dispatchEvent(new Event("input", { bubbles: true }));
    champ.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function initialiser(bloc) {
    if (!window.L || bloc.dataset.carteActive) return;
    bloc.dataset.carteActive = "1";
    var zone = document.getElementById("carte-ort");
    var aide = document.getElementById("carte-aide");
    var lon = document.getElementById("longitude");
    var lat = document.getElementById("latitude");
    var couches = JSON.parse(bloc.dataset.couches || "[]");
    zone.hidden = false;
    aide.hidden = false;
    zone.setAttribute("aria-describedby", "carte-aide");

    var carte = L.map(zone, { zoomControl: false, attributionControl: true, keyboard: true });
    carte.attributionControl.setPrefix("Leaflet");
    L.control.zoom({ position: "topright", zoomInTitle: "Zoomer", zoomOutTitle: "Dézoomer" }).addTo(carte);
    if (bloc.dataset.fond) {
      var attribution = /geopf\.fr|ign\.fr/.test(bloc.dataset.fond) ? "© IGN – Géoplateforme" : "Fond de carte";
      L.tileLayer(bloc.dataset.fond, { attribution: attribution, maxZoom: 20, crossOrigin: false }).addTo(carte);
    }
    var dessin = L.featureGroup().addTo(carte);
    couches.forEach(function (c) {
      if (!c.geometrie) return;
      var style = L.extend({ interactive: false }, STYLES[c.type] || STYLES.secteur);
      L.geoJSON(c.geometrie, { style: style, interactive: false }).addTo(dessin);
    });
    if (dessin.getLayers().length) carte.fitBounds(dessin.getBounds(), { padding: [20, 20], maxZoom: 17 });
    else carte.setView([46.6, 2.4], 5);

    var repere = null;
    function placer(latlng) {
      if (repere) repere.setLatLng(latlng);
      else repere = L.circleMarker(latlng, { radius: 8, color: "#ce0500", weight: 3, fillOpacity: 0.6 }).addTo(carte);
    }
    var x = lire(lon), y = lire(lat);
    if (x !== null && y !== null && Math.abs(x) <= 180 && Math.abs(y) <= 90) placer([y, x]);

    var annonce = document.getElementById("carte-point");
    carte.on("click", function (e) {
      placer(e.latlng);
      ecrire(lon, e.latlng.lng);
      ecrire(lat, e.latlng.lat);
      if (annonce) annonce.textContent = "Point placé : longitude " + lon.value + ", latitude " + lat.value + ".";
    });
    function suivre() {
      var x = lire(lon), y = lire(lat);
      if (x !== null && y !== null && Math.abs(x) <= 180 && Math.abs(y) <= 90) placer([y, x]);
    }
    lon.addEventListener("change", function (e) { if (e.isTrusted) suivre(); });
    lat.addEventListener("change", function (e) { if (e.isTrusted) suivre(); });
  }

  function tout() {
    document.querySelectorAll("[data-ort-carte]").forEach(initialiser);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", tout);
  else tout();
})();
