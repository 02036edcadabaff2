// The map of the mobile library's stops (Leaflet), where the page has one: the tile server and
// the stops come from data- attributes and a JSON script; the list beside it works without it.
(function () {
  "use strict";
  function start() {
    document.querySelectorAll("[data-mobile-map]").forEach(function (box) {
      var source = document.getElementById(box.dataset.points);
      if (!source || typeof L === "undefined") {
        return;
      }
      var points = JSON.parse(source.textContent);
      var map = L.map(box);
      L.tileLayer(box.dataset.tiles, { attribution: box.dataset.attribution, maxZoom: 18 }).addTo(map);
      var bounds = [];
      points.forEach(function (point) {
        var marker = L.marker([point.lat, point.lon], { title: point.name, alt: point.name }).addTo(map);
        var link = document.createElement("a");
        link.href = point.url;
        link.textContent = point.name;
        marker.bindPopup(link);
        bounds.push([point.lat, point.lon]);
      });
      map.fitBounds(bounds, { maxZoom: 14, padding: [24, 24] });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
