// Actor page: timeline chart (Chart.js) and counterpart graph (Cytoscape), from JSON in the page.
(function () {
  var palette = ["#1f5f99", "#b03a2e", "#1e7b4f", "#7d3c98", "#946200", "#2e4053", "#a04000", "#117864"];
  var t = JSON.parse(document.getElementById("timeline-data").textContent);
  new Chart(document.getElementById("timeline"), {
    type: "bar",
    data: { labels: t.labels, datasets: t.series.map(function (s, i) {
      return { label: s.type, data: s.data, backgroundColor: palette[i % palette.length] }; }) },
    options: { animation: false, responsive: true, maintainAspectRatio: false,
               scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } } }
  });
  var g = JSON.parse(document.getElementById("graph-data").textContent);
  var els = g.nodes.map(function (n) { return { data: { id: n.id, label: n.name } }; });
  g.edges.forEach(function (e, i) {
    els.push({ data: { id: "e" + i, source: e.source, target: e.target, label: e.type + " ×" + e.events } });
  });
  var cy = cytoscape({
    container: document.getElementById("graph"), elements: els, maxZoom: 1.6, minZoom: 0.2,
    layout: { name: "cose", animate: false, padding: 40 },
    style: [
      { selector: "node", style: { "label": "data(label)", "background-color": "#1f5f99", "color": "#111", "font-size": 12 } },
      { selector: "edge", style: { "label": "data(label)", "curve-style": "bezier", "target-arrow-shape": "triangle",
                                   "width": 2, "line-color": "#666", "target-arrow-color": "#666", "font-size": 10 } }
    ]
  });
  cy.on("tap", "node", function (ev) { window.location = "/actors/" + encodeURIComponent(ev.target.id()); });
})();
