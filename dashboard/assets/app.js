// govreport dashboard: draws every [data-chart] element with Chartist, adds a legend,
// and wires the report page's finding highlights. The numbers are also in the table
// next to each chart, so nothing is lost without scripts.
(function () {
  "use strict";
  var letters = "abcdefghijklmno";

  function fmt(v, percent) {
    if (v === null || v === undefined) return "";
    if (percent) return (Math.round(v * 1000) / 10) + "%";
    return Number(v).toLocaleString("en-US");
  }

  function draw(el) {
    var spec;
    try { spec = JSON.parse(el.getAttribute("data-chart")); } catch (e) { el.setAttribute("data-rendered", "error"); return; }
    var data = {
      labels: spec.labels,
      series: spec.series.map(function (s) { return { name: s.name, data: s.values }; })
    };
    // Counts start at zero and step in whole numbers; shares run from 0 to 100%.
    var axis = { low: 0, onlyInteger: !spec.percent, labelInterpolationFnc: function (v) { return fmt(v, spec.percent); } };
    if (spec.percent && spec.kind === "stacked") axis.high = 1;
    var chart;
    var opts = { height: el.getAttribute("data-height") || "260px", chartPadding: { left: 12, right: 28 } };
    if (spec.kind === "line") {
      opts.axisY = axis;
      opts.lineSmooth = false;
      opts.fullWidth = true;
      chart = new Chartist.LineChart(el, data, opts);
    } else {
      if (spec.kind === "hbar") {
        opts.horizontalBars = true;
        opts.reverseData = true;
        opts.axisX = axis;
        opts.axisY = { offset: 90 };
        opts.height = Math.max(200, 22 * spec.labels.length * spec.series.length + 40) + "px";
      } else {
        opts.axisY = axis;
      }
      if (spec.kind === "stacked") opts.stackBars = true;
      chart = new Chartist.BarChart(el, data, opts);
    }
    chart.on("draw", function (d) {
      if (d.type !== "bar" && d.type !== "point") return;
      var title = document.createElementNS("http://www.w3.org/2000/svg", "title");
      var v = d.value && typeof d.value === "object" ? (spec.kind === "hbar" ? d.value.x : d.value.y) : d.value;
      var label = spec.labels[d.index] !== undefined ? spec.labels[d.index] : "";
      if (spec.kind === "hbar") label = spec.labels[spec.labels.length - 1 - d.index] || label;
      title.textContent = (spec.series.length > 1 ? spec.series[d.seriesIndex].name + " · " : "") + label + ": " + fmt(v, spec.percent);
      d.element.getNode().appendChild(title);
      d.element.getNode().setAttribute("data-label", label);
      d.element.getNode().setAttribute("data-series", spec.series[d.seriesIndex].name);
    });
    chart.on("created", function () { el.setAttribute("data-rendered", "true"); });
    if (spec.series.length > 1) {
      var ul = document.createElement("ul");
      ul.className = "legend";
      spec.series.forEach(function (s, i) {
        var li = document.createElement("li");
        li.className = "legend-" + letters.charAt(i % letters.length);
        li.textContent = s.name;
        ul.appendChild(li);
      });
      el.parentNode.insertBefore(ul, el.nextSibling);
    }
  }

  function highlight() {
    var items = document.querySelectorAll("[data-finding]");
    items.forEach(function (item) {
      item.addEventListener("click", function () {
        var id = item.getAttribute("data-finding");
        var on = !item.classList.contains("active");
        document.querySelectorAll(".active").forEach(function (e) { e.classList.remove("active"); });
        if (!on) return;
        item.classList.add("active");
        document.querySelectorAll("[data-findings~='" + id + "']").forEach(function (c) { c.classList.add("active"); });
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-chart]").forEach(draw);
    highlight();
  });
})();
