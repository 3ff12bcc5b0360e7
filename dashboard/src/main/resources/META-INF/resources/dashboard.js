// The dashboard's only script: draws the charts the server wrote as data-chart JSON, copies a new key's secret,
// asks before a revoke, and refreshes the providers table. Every page works without it except those conveniences.
(function () {
  'use strict';

  function drawCharts(root) {
    root.querySelectorAll('[data-chart]').forEach(function (el) {
      if (!el.dataset.chart || typeof echarts === 'undefined') { return; }
      var spec = JSON.parse(el.dataset.chart);
      var series = spec.series.map(function (s, i) {
        return { name: s.name, type: spec.kind, yAxisIndex: spec.series.length > 1 ? i : 0,
                 data: s.values.map(Number) };
      });
      var yAxes = spec.series.map(function (s) { return { type: 'value', name: s.name }; });
      echarts.init(el).setOption({
        animation: false,
        tooltip: { trigger: 'axis' },
        legend: { top: 0 },
        grid: { left: 60, right: 60, top: 40, bottom: 40 },
        xAxis: { type: 'category', data: spec.labels },
        yAxis: yAxes.length > 1 ? yAxes.slice(0, 2) : yAxes[0],
        series: series
      });
    });
  }

  document.addEventListener('click', function (event) {
    var target = event.target.closest('[data-copy]');
    if (target) {
      var field = document.getElementById(target.dataset.copy);
      field.select();
      if (navigator.clipboard) { navigator.clipboard.writeText(field.value); }
      target.textContent = 'Copied';
    }
  });

  document.addEventListener('submit', function (event) {
    var message = event.target.dataset.confirm;
    if (message && !window.confirm(message)) { event.preventDefault(); }
  });

  function refreshProviders() {
    var box = document.getElementById('provider-status');
    if (!box) { return; }
    setInterval(function () {
      fetch(window.location.href, { credentials: 'same-origin' })
        .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
        .then(function (html) {
          var fresh = new DOMParser().parseFromString(html, 'text/html').getElementById('provider-status');
          if (fresh) { box.innerHTML = fresh.innerHTML; }
        })
        .catch(function () { /* keep the last table; the next tick tries again */ });
    }, Number(box.dataset.refresh) * 1000);
  }

  // Panels the server renders separately, so a page shows its main table before the slower sums arrive.
  function loadFragments() {
    document.querySelectorAll('[data-fragment]').forEach(function (box) {
      fetch(box.dataset.fragment, { credentials: 'same-origin' })
        .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
        .then(function (html) { box.innerHTML = html; drawCharts(box); })
        .catch(function () {
          box.innerHTML = '<p class="notice" role="status">The totals could not be loaded; reload the page.</p>';
        });
    });
  }

  function start() {
    drawCharts(document);
    loadFragments();
    refreshProviders();
  }

  start();
})();
