// Draws each metric's chart with Chart.js (vendored, served from our own static files) from the
// numbers in its JSON script tag. Readable without colour: every series has its own marker
// shape and line dash, and its label is written at its last point; targets are dashed lines
// without markers. The data table under each chart holds the same numbers.
(function () {
  "use strict";
  var COLOURS = ["#1f5fa8", "#b26a00", "#2e7d32", "#6a4c93", "#c62828", "#455a64"];
  var MARKERS = ["circle", "triangle", "rect", "rectRot", "star", "crossRot"];
  var DASHES = [[], [6, 4], [2, 3], [10, 3, 2, 3], [1, 1], [12, 6]];

  function format(value, unit) {
    if (value === null || value === undefined) return "–";
    if (unit === "share") return Math.round(value * 100) + "%";
    if (unit === "minutes") {
      if (value < 60) return Math.round(value) + " min";
      if (value < 2880) return (value / 60).toFixed(1) + " h";
      return (value / 1440).toFixed(1) + " d";
    }
    if (unit === "hours") return value < 48 ? value.toFixed(1) + " h" : (value / 24).toFixed(1) + " d";
    if (unit === "days") return value.toFixed(1) + " d";
    if (unit === "count") return String(value);
    return Number(value).toFixed(2);
  }

  // Writes each series' label beside its last point ("direct labels"), kept inside the chart
  // and moved down when it would overlap a label already written.
  var directLabels = {
    id: "learnloopDirectLabels",
    afterDatasetsDraw: function (chart) {
      var ctx = chart.ctx;
      var placed = [];
      ctx.save();
      ctx.font = "12px system-ui, sans-serif";
      ctx.textBaseline = "middle";
      chart.data.datasets.forEach(function (ds, i) {
        var meta = chart.getDatasetMeta(i);
        if (meta.hidden) return;
        for (var j = ds.data.length - 1; j >= 0; j--) {
          if (ds.data[j] === null || !meta.data[j]) continue;
          var p = meta.data[j];
          var w = ctx.measureText(ds.label).width;
          var x = p.x + 8;
          if (x + w > chart.width - 2) x = Math.max(chart.chartArea.left, p.x - 8 - w);
          var y = p.y - 10;
          for (var k = 0; k < placed.length; k++) {
            var b = placed[k];
            if (x < b.x + b.w && b.x < x + w && Math.abs(y - b.y) < 13) {
              y = b.y + 14;
              k = -1;
            }
          }
          placed.push({ x: x, y: y, w: w });
          ctx.fillStyle = ds.borderColor;
          ctx.textAlign = "left";
          ctx.fillText(ds.label, x, y);
          break;
        }
      });
      ctx.restore();
    },
  };

  function draw(canvas) {
    var source = document.getElementById(canvas.getAttribute("data-chart"));
    if (!source || typeof Chart === "undefined") return;
    var data = JSON.parse(source.textContent);
    var units = [];
    data.series.forEach(function (s) { if (units.indexOf(s.unit) < 0) units.push(s.unit); });
    var primary = units[0];
    var datasets = data.series.map(function (s, i) {
      var colour = COLOURS[i % COLOURS.length];
      return {
        label: s.label,
        data: s.values,
        unit: s.unit,
        yAxisID: s.unit === primary ? "y" : "y1",
        borderColor: s.reference ? "#555" : colour,
        backgroundColor: s.reference ? "#555" : colour,
        borderDash: s.reference ? [8, 6] : DASHES[i % DASHES.length],
        pointStyle: s.reference ? false : MARKERS[i % MARKERS.length],
        pointRadius: s.reference ? 0 : 5,
        pointHoverRadius: 7,
        borderWidth: 2,
        spanGaps: true,
      };
    });
    var scales = {
      y: { beginAtZero: true, ticks: { callback: function (v) { return format(v, primary); } } },
    };
    if (units.length > 1) {
      scales.y1 = {
        position: "right",
        beginAtZero: true,
        grid: { drawOnChartArea: false },
        ticks: { callback: function (v) { return format(v, units[1]); } },
      };
    }
    new Chart(canvas, {
      type: "line",
      data: { labels: data.months, datasets: datasets },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        layout: { padding: { right: 12, top: 14 } },
        scales: scales,
        plugins: {
          legend: { labels: { usePointStyle: true } },
          tooltip: {
            callbacks: {
              label: function (item) {
                return item.dataset.label + ": " + format(item.raw, item.dataset.unit);
              },
            },
          },
        },
      },
      plugins: [directLabels],
    });
  }

  function start() {
    document.querySelectorAll("canvas[data-chart]").forEach(draw);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
