// The dashboard's only script: draws the charts the server wrote as data-chart JSON, copies a new key's secret,
// asks before a revoke, refreshes the providers table, and runs the support chat. Every page works without it except those conveniences.
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

  // The support chat: every [data-support] box shows one account's conversation; one socket per page hears the
  // messages this user may see. Message text only ever goes into the page through textContent, never as HTML.
  var supportSocket = null;
  var supportBoxes = [];

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function renderMessage(box, m) {
    var list = box.querySelector('.support-messages');
    if (list.querySelector('[data-id="' + Number(m.id) + '"]')) { return; }
    var item = el('li', 'msg msg-' + (m.author_role === 'support' ? 'support' : 'member'));
    item.dataset.id = String(Number(m.id));
    item.appendChild(el('span', 'who', m.author_role === 'support' ? 'TokenHub support' : m.author_name));
    item.appendChild(el('time', null, m.created_at));
    if (m.request_id) {
      var about = el('span', 'about', ' about request ');
      about.appendChild(el('code', null, m.request_id));
      item.appendChild(about);
    }
    item.appendChild(el('p', 'body', m.body));
    list.appendChild(item);
    list.scrollTop = list.scrollHeight;
  }

  function showError(box, text) {
    var alert = box.querySelector('.support-error');
    alert.textContent = text;
    alert.hidden = !text;
  }

  function updateInbox(event) {
    var table = document.getElementById('support-inbox');
    if (!table) { return; }
    var body = table.tBodies[0];
    var row = Array.prototype.find.call(body.rows, function (r) { return r.dataset.account === event.account; });
    if (event.type === 'closed') { if (row) { row.remove(); } return; }
    if (!row) {
      row = document.createElement('tr');
      row.dataset.account = event.account;
      var link = el('a', null, event.account);
      link.href = '/support/inbox/' + encodeURIComponent(event.account);
      var cell = document.createElement('td');
      cell.appendChild(link);
      row.appendChild(cell);
      row.appendChild(el('td', 'last'));
      row.appendChild(el('td', 'state'));
    }
    row.querySelector('.last').textContent = event.created_at;
    row.querySelector('.state').textContent = event.author_role === 'member' ? 'unanswered' : 'answered';
    body.insertBefore(row, body.firstChild);
  }

  function connectSupport() {
    var url = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/support/ws';
    supportSocket = new WebSocket(url);
    supportSocket.onmessage = function (message) {
      var event = JSON.parse(message.data);
      if (event.type === 'error') {
        supportBoxes.forEach(function (box) { showError(box, event.message); });
        return;
      }
      updateInbox(event);
      supportBoxes.forEach(function (box) {
        if (box.dataset.account !== event.account) { return; }
        if (event.type === 'message') { showError(box, ''); renderMessage(box, event); }
        if (event.type === 'closed') { showError(box, 'This conversation was closed; a new message opens a new one.'); }
      });
    };
    supportSocket.onopen = function () { document.body.dataset.supportSocket = 'open'; };
    supportSocket.onclose = function () {
      document.body.dataset.supportSocket = 'closed';
      setTimeout(connectSupport, 3000);
    };
  }

  function attach(box, requestId) {
    box.querySelector('.support-request-id').value = requestId || '';
    var chip = box.querySelector('.support-attached');
    if (chip) {
      chip.querySelector('.support-attached-id').textContent = requestId || '';
      chip.hidden = !requestId;
    }
  }

  function startSupport() {
    supportBoxes = Array.prototype.slice.call(document.querySelectorAll('[data-support]'));
    if (!supportBoxes.length || typeof WebSocket === 'undefined') { return; }
    supportBoxes.forEach(function (box) {
      var form = box.querySelector('.support-form');
      form.addEventListener('submit', function (event) {
        if (!supportSocket || supportSocket.readyState !== WebSocket.OPEN) { return; }  // the form posts instead
        event.preventDefault();
        var text = form.querySelector('textarea');
        supportSocket.send(JSON.stringify({ account: box.dataset.account, body: text.value,
                                            request_id: box.querySelector('.support-request-id').value }));
        text.value = '';
        attach(box, '');
        text.focus();
      });
      var detach = box.querySelector('.support-detach');
      if (detach) { detach.addEventListener('click', function () { attach(box, ''); }); }
    });
    connectSupport();

    var panel = document.getElementById('support-panel');
    var toggle = document.getElementById('support-toggle');
    var loaded = false;
    function open(show) {
      panel.hidden = !show;
      toggle.setAttribute('aria-expanded', String(show));
      if (!show) { toggle.focus(); return; }
      panel.querySelector('textarea').focus();
      if (loaded) { return; }
      loaded = true;
      fetch(panel.dataset.load, { credentials: 'same-origin' })
        .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
        .then(function (conversation) { conversation.messages.forEach(function (m) { renderMessage(panel, m); }); })
        .catch(function () { loaded = false; showError(panel, 'The conversation could not be loaded; try again.'); });
    }
    toggle.addEventListener('click', function () { open(panel.hidden); });
    panel.addEventListener('keydown', function (event) { if (event.key === 'Escape') { open(false); } });
    document.querySelectorAll('[data-support-request]').forEach(function (button) {
      button.addEventListener('click', function () { attach(panel, button.dataset.supportRequest); open(true); });
    });
  }

  function start() {
    drawCharts(document);
    loadFragments();
    refreshProviders();
    startSupport();
  }

  start();
})();
