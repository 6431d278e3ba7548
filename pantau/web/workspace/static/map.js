// World map without tiles: Natural Earth country outlines (world-atlas, vendored) drawn by Leaflet,
// events as circles at the gazetteer coordinates the server sent. Works on an air-gapped network.
(function () {
  var points = JSON.parse(document.getElementById("points-data").textContent);
  var map = L.map("map", { worldCopyJump: true, attributionControl: false }).setView([30, 100], 2);
  fetch("/static/vendor/countries-110m.json").then(function (r) { return r.json(); }).then(function (topo) {
    var land = topojson.feature(topo, topo.objects.countries);
    L.geoJSON(land, { style: { color: "#555", weight: 1, fillColor: "#e8e4d8", fillOpacity: 1 } }).addTo(map);
    points.forEach(function (p) {
      var html = document.createElement("div");
      var title = document.createElement("strong");
      title.textContent = p.name;
      html.appendChild(title);
      p.events.forEach(function (e) {
        var a = document.createElement("a");
        a.href = "/events/" + encodeURIComponent(e.id);
        a.textContent = e.summary;
        html.appendChild(document.createElement("br"));
        html.appendChild(a);
      });
      L.circleMarker([p.lat, p.lon], { radius: 5 + Math.min(15, p.events.length * 2), color: "#b03a2e",
        fillOpacity: 0.7, className: "event-point" }).bindPopup(html).addTo(map);
    });
    document.getElementById("map").dataset.ready = "1";
  });
})();
