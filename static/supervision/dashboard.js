/* The dashboard's charts (Apache ECharts, served by this site). Data comes from
   <script type="application/json"> blocks written by Django's json_script, so no inline
   script runs and the page works under the site's Content-Security-Policy. Every chart
   has the same data as a table next to it; without JavaScript the tables remain. */
(function () {
  "use strict";

  function data(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  var COLOURS = { red: "#c62828", yellow: "#f9a825", "": "#1565c0" };
  var charts = [];

  function rankingChart(element, block) {
    var bars = block.bars.slice().reverse(); // best at the top of a horizontal bar chart
    element.style.height = Math.max(160, 28 * bars.length + 60) + "px";
    var chart = echarts.init(element, null, { renderer: "canvas" });
    chart.setOption({
      animation: false,
      grid: { left: 8, right: 48, top: 8, bottom: 24, containLabel: true },
      xAxis: { type: "value", min: 0, max: 100 },
      yAxis: {
        type: "category",
        data: bars.map(function (b) { return b.rank + ". " + b.name; }),
        axisLabel: { width: 140, overflow: "truncate" },
      },
      tooltip: { trigger: "item" },
      series: [{
        type: "bar",
        data: bars.map(function (b) {
          return { value: b.value, itemStyle: { color: COLOURS[b.mark] || COLOURS[""] }, url: b.url };
        }),
        label: { show: true, position: "right" },
        cursor: "pointer",
      }],
    });
    chart.on("click", function (params) {
      if (params.data && params.data.url) { window.location.href = params.data.url; }
    });
    element.setAttribute("data-drawn", "1");
    return chart;
  }

  function trendChart(element, trend) {
    element.style.height = "280px";
    var chart = echarts.init(element, null, { renderer: "canvas" });
    chart.setOption({
      animation: false,
      grid: { left: 8, right: 16, top: 32, bottom: 24, containLabel: true },
      legend: { top: 0 },
      tooltip: { trigger: "axis" },
      xAxis: { type: "category", data: trend.labels },
      yAxis: { type: "value", name: trend.unit },
      series: [
        { name: trend.agency_label || trend.name, type: "line", data: trend.agency, connectNulls: false },
        { name: trend.median_label || "median", type: "line", data: trend.median, lineStyle: { type: "dashed" } },
      ],
    });
    element.setAttribute("data-drawn", "1");
    return chart;
  }

  function draw() {
    if (typeof echarts === "undefined") { return; }
    var ranking = data("ranking-data") || [];
    document.querySelectorAll('[data-chart="ranking"]').forEach(function (element) {
      var block = ranking[Number(element.getAttribute("data-index"))];
      if (block && block.bars.length) { charts.push(rankingChart(element, block)); }
    });
    var trend = data("trend-data");
    var trendElement = document.getElementById("trend-chart");
    if (trend && trendElement) {
      trend.agency_label = trendElement.getAttribute("data-agency-label");
      trend.median_label = trendElement.getAttribute("data-median-label");
      charts.push(trendChart(trendElement, trend));
    }
    window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
    window.addEventListener("beforeprint", function () { charts.forEach(function (c) { c.resize(); }); });
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
