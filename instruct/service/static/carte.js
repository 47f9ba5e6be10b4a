/* The périmètres' map (templates/formulaire/_carte.html): progressive enhancement over the textarea
   that holds the GeoJSON, which stays the field the form posts. With Leaflet and Leaflet-Geoman
   (vendored): draw, edit, cut and delete polygons; the other périmètres shown read-only with a legend;
   the shapes a problem (PROG-12) names outlined in red; a background only when the page gives one.
   The textarea and the file input stay usable (keyboard, no mouse): the map follows what they hold. */
(function () {
  "use strict";

  var PALETTE = ["#18753c", "#716043", "#6e445a", "#00687b", "#8d533e", "#3a3a3a"];
  var CHAMP = { color: "#000091", weight: 3, fillColor: "#000091", fillOpacity: 0.2 };
  var PROBLEME = { color: "#ce0500", weight: 5, dashArray: null };
  var MAX_FICHIER = 10 * 1024 * 1024;
  var DECIMALES = 1e7;

  function erreur(message) {
    var e = new Error(message);
    e.francais = true;
    return e;
  }

  /* Every polygon of a GeoJSON text (geometry, Feature, FeatureCollection, GeometryCollection),
     as a list of Polygon coordinates; a French error when it is not one. */
  function polygones(texte) {
    var doc;
    try {
      doc = JSON.parse(texte);
    } catch (e) {
      throw erreur("Le tracé n'est pas un GeoJSON lisible (vérifiez les crochets, les virgules et les guillemets).");
    }
    var trouves = [];
    function parcourir(obj, profondeur) {
      if (profondeur > 32 || !obj || typeof obj !== "object") {
        throw erreur("Le tracé n'est pas un GeoJSON : un objet avec un « type » est attendu.");
      }
      if (obj.type === "FeatureCollection") {
        (obj.features || []).forEach(function (f) { parcourir(f, profondeur + 1); });
      } else if (obj.type === "Feature") {
        if (obj.geometry) parcourir(obj.geometry, profondeur + 1);
      } else if (obj.type === "GeometryCollection") {
        (obj.geometries || []).forEach(function (g) { parcourir(g, profondeur + 1); });
      } else if (obj.type === "Polygon") {
        trouves.push(verifier(obj.coordinates));
      } else if (obj.type === "MultiPolygon") {
        (obj.coordinates || []).forEach(function (p) { trouves.push(verifier(p)); });
      } else if (["Point", "MultiPoint", "LineString", "MultiLineString"].indexOf(obj.type) < 0) {
        throw erreur("Le tracé n'est pas un GeoJSON : type « " + String(obj.type).slice(0, 40) + " » inconnu.");
      }
    }
    parcourir(doc, 0);
    if (!trouves.length) {
      throw erreur("Le tracé ne contient aucun polygone : un périmètre est une surface fermée.");
    }
    return trouves;
  }

  function verifier(anneaux) {
    if (!Array.isArray(anneaux) || !anneaux.length) throw erreur("Un polygone du tracé n'a pas de contour.");
    anneaux.forEach(function (anneau) {
      if (!Array.isArray(anneau) || anneau.length < 4) {
        throw erreur("Un contour du tracé a moins de trois sommets distincts.");
      }
      anneau.forEach(function (p) {
        if (!Array.isArray(p) || typeof p[0] !== "number" || typeof p[1] !== "number" ||
            Math.abs(p[0]) > 180 || Math.abs(p[1]) > 90) {
          throw erreur("Les coordonnées du tracé doivent être des longitudes et latitudes en degrés (WGS 84).");
        }
      });
    });
    return anneaux;
  }

  function arrondir(coords) {
    if (typeof coords[0] === "number") {
      return [Math.round(coords[0] * DECIMALES) / DECIMALES, Math.round(coords[1] * DECIMALES) / DECIMALES];
    }
    return coords.map(arrondir);
  }

  /* One GeoJSON geometry from the polygons: a Polygon, or a MultiPolygon when there are several. */
  function geometrie(liste) {
    if (!liste.length) return null;
    if (liste.length === 1) return { type: "Polygon", coordinates: arrondir(liste[0]) };
    return { type: "MultiPolygon", coordinates: arrondir(liste) };
  }

  function message(groupe, zone, texte, type) {
    zone.textContent = "";
    if (groupe) groupe.classList.toggle("fr-input-group--error", type === "error");
    if (!texte) return;
    var p = document.createElement("p");
    p.className = "fr-message fr-message--" + (type || "info") + (type === "error" ? " fr-error-text" : "");
    p.textContent = texte;
    zone.appendChild(p);
  }

  function initialiser(bloc) {
    if (!window.L || !window.L.PM || bloc.dataset.carteActive) return;
    bloc.dataset.carteActive = "1";
    var fid = bloc.dataset.champ;
    var zone = document.getElementById(fid + "-carte");
    var texte = document.getElementById(fid);
    var groupe = document.getElementById(fid + "-groupe");
    var messages = document.getElementById(fid + "-messages");
    var fichier = document.getElementById(fid + "-fichier");
    var fichierMessages = document.getElementById(fid + "-fichier-messages");
    var legende = document.getElementById(fid + "-legende");
    var clavier = document.getElementById(fid + "-clavier");
    var contexte = JSON.parse(bloc.dataset.contexte || "[]");
    var problemes = JSON.parse(bloc.dataset.problemes || "[]");
    var signales = {};
    problemes.forEach(function (p) { (p.couches || []).forEach(function (c) { signales[c] = true; }); });

    zone.hidden = false;
    if (legende) legende.hidden = false;
    if (clavier) clavier.hidden = false;
    var carte = L.map(zone, { zoomControl: false, attributionControl: true, keyboard: true });
    carte.attributionControl.setPrefix("Leaflet");
    L.control.zoom({ position: "topright", zoomInTitle: "Zoomer", zoomOutTitle: "Dézoomer" }).addTo(carte);
    var fond = bloc.dataset.fond;
    if (fond) {
      var attribution = bloc.dataset.attribution ||
        (/geopf\.fr|ign\.fr/.test(fond) ? "© IGN – Géoplateforme" : "Fond de carte");
      L.tileLayer(fond, { attribution: attribution, maxZoom: 20, crossOrigin: false }).addTo(carte);
    }

    var reperes = L.featureGroup().addTo(carte);
    contexte.forEach(function (c, i) {
      if (!c.geometrie) return;
      var style = {
        color: PALETTE[i % PALETTE.length], weight: 2, dashArray: "6 4", fillOpacity: 0.05, interactive: false
      };
      if (signales[c.id]) style = L.extend({}, style, PROBLEME);
      var couche = L.geoJSON(c.geometrie, { pmIgnore: true, interactive: false, style: style });
      couche.addTo(reperes);
    });

    var traces = L.featureGroup().addTo(carte);
    var style = signales.champ || signales[fid] ? L.extend({}, CHAMP, PROBLEME) : CHAMP;

    function ecrire() {
      var liste = [];
      traces.eachLayer(function (couche) {
        var g = couche.toGeoJSON().geometry;
        if (g.type === "Polygon") liste.push(g.coordinates);
        else if (g.type === "MultiPolygon") liste = liste.concat(g.coordinates);
      });
      var g = geometrie(liste);
      texte.value = g ? JSON.stringify(g) : "";
      message(groupe, messages, "");
      texte.dispatchEvent(new Event("input", { bubbles: true }));
      texte.dispatchEvent(new Event("change", { bubbles: true }));
    }

    function suivre(couche) {
      couche.on("pm:edit pm:dragend pm:rotateend", ecrire);
    }

    function charger(liste) {
      traces.clearLayers();
      liste.forEach(function (coords) {
        var couche = L.polygon(L.GeoJSON.coordsToLatLngs(coords, 1), style);
        traces.addLayer(couche);
        suivre(couche);
      });
      cadrer();
    }

    function cadrer() {
      var bornes = traces.getBounds();
      if (reperes.getLayers().length) {
        bornes = bornes.isValid() ? bornes.extend(reperes.getBounds()) : reperes.getBounds();
      }
      if (bornes.isValid()) carte.fitBounds(bornes, { padding: [20, 20], maxZoom: 18 });
      else carte.setView([46.6, 2.4], 5);
    }

    /* garder: at the page's first reading, the server's message about the field (a self-crossing outline,
       which only the server checks) stays until the town changes the outline. */
    function lireTexte(depuis, garder) {
      var valeur = texte.value.trim();
      if (!valeur) {
        traces.clearLayers();
        if (!garder) message(groupe, messages, "");
        return true;
      }
      try {
        charger(polygones(valeur));
        if (!garder) message(groupe, messages, "");
        return true;
      } catch (e) {
        if (!e.francais) throw e;
        message(groupe, messages, e.message + (depuis ? "" : " La carte n'a pas été modifiée."), "error");
        return false;
      }
    }

    carte.pm.setLang("fr");
    carte.pm.setGlobalOptions({ allowSelfIntersection: false, layerGroup: traces, pathOptions: style, snappable: true });
    carte.pm.addControls({
      position: "topleft",
      drawMarker: false, drawCircleMarker: false, drawPolyline: false, drawCircle: false, drawText: false,
      drawRectangle: true, drawPolygon: true, editMode: true, dragMode: true, cutPolygon: true,
      removalMode: true, rotateMode: false
    });
    carte.on("pm:create", function (e) { suivre(e.layer); ecrire(); });
    carte.on("pm:remove", function (e) { traces.removeLayer(e.layer); ecrire(); });
    carte.on("pm:cut", function (e) {
      traces.removeLayer(e.originalLayer);
      if (!traces.hasLayer(e.layer)) traces.addLayer(e.layer);
      suivre(e.layer);
      ecrire();
    });
    nommerBoutons(zone);

    texte.addEventListener("change", function (e) { if (e.isTrusted) lireTexte(false); });
    lireTexte(true, true);
    if (!traces.getLayers().length) cadrer();

    fichier.addEventListener("change", function () {
      var f = fichier.files && fichier.files[0];
      message(null, fichierMessages, "");
      if (!f) return;
      if (f.size > MAX_FICHIER) {
        message(null, fichierMessages, "Le fichier « " + f.name + " » dépasse 10 Mo : un fichier de périmètres est bien plus petit.", "error");
        return;
      }
      if (bloc.dataset.importUrl) {
        envoyer(f);  /* the server reads every format the same way (projection, self-crossing) */
      } else if (/\.(geo)?json$/i.test(f.name)) {
        f.text().then(function (contenu) {
          try {
            charger(polygones(contenu));
          } catch (e) {
            if (!e.francais) throw e;
            message(null, fichierMessages, "« " + f.name + " » : " + e.message, "error");
            return;
          }
          ecrire();
          fichier.value = "";
          message(null, fichierMessages, "Tracé importé de « " + f.name + " ».", "valid");
        });
      } else {
        message(null, fichierMessages, "Pour lire « " + f.name + " », utilisez le bouton « Importer ce fichier ».", "info");
      }
    });

    function envoyer(f) {
      var donnees = new FormData();
      donnees.append("fichier", f, f.name);
      var formulaire = bloc.closest("form");
      var jeton = formulaire && formulaire.querySelector("input[type=hidden][name=csrf], input[type=hidden][name=jeton]");
      if (jeton) donnees.append(jeton.name, jeton.value);
      message(null, fichierMessages, "Lecture de « " + f.name + " »…", "info");
      fetch(bloc.dataset.importUrl, { method: "POST", body: donnees, credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (reponse) {
          if (reponse.erreur) {
            message(null, fichierMessages, reponse.erreur, "error");
            return;
          }
          texte.value = JSON.stringify(reponse.geometrie);
          lireTexte(true);
          ecrire();
          fichier.value = "";
          message(null, fichierMessages, "Tracé importé de « " + f.name + " ».", "valid");
        })
        .catch(function () {
          message(null, fichierMessages, "« " + f.name + " » n'a pas pu être envoyé : utilisez le bouton « Importer ce fichier ».", "info");
        });
    }
  }

  /* Geoman's toolbar buttons are links with a title only: give them a role and a name a screen
     reader says (the title, in French), and the keyboard's Enter and Space. */
  function nommerBoutons(zone) {
    zone.querySelectorAll(".leaflet-pm-toolbar .button-container").forEach(function (conteneur) {
      var bouton = conteneur.querySelector(".leaflet-buttons-control-button");
      if (!bouton) return;
      var nom = conteneur.getAttribute("title") || bouton.getAttribute("title");
      if (nom) bouton.setAttribute("aria-label", nom);
      bouton.setAttribute("role", "button");
      if (!bouton.hasAttribute("tabindex")) bouton.setAttribute("tabindex", "0");
    });
  }

  function tout() {
    document.querySelectorAll("[data-carte]").forEach(initialiser);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", tout);
  else tout();
})();
