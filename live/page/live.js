// The live page: reads GET /api/state once (and after a reset or a
// reconnect), then follows GET /api/events. Draws the network on one
// canvas (the layout and sprites of report/replay's player), animates each
// gossip message along its edge, and keeps one ECharts curve per message.
// Everything from the server is text put in with textContent; nothing is
// fetched from anywhere but this origin.
(function () {
  "use strict";

  var COLOR = {
    uninformed: "#c3c9d2", informed: "#2563eb", fresh: "#f59e0b", halo: "rgba(245, 158, 11, 0.28)",
    crashed: "#8b1a1a", ink: "#1f2933", selected: "#1f2933", graph: "#8a96a3"
  };
  var KIND_COLOR = { push: "#2563eb", request: "#7c3aed", answer: "#0d9488" };
  var OUTCOME = { useful: 0, redundant: 1, lost: 2, failed: 3 };
  var PALETTE = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"];
  var FRESH_MS = 700; // a node that just learned the message glows this long
  var MAX_FLYING = 1500; // gossip animations at once; past it the oldest go

  function $(id) { return document.getElementById(id); }
  var canvas = $("canvas"), stage = $("stage"), tip = $("tip"), ctx = canvas.getContext("2d");

  // ---- State ---------------------------------------------------------------

  var n = 0, pos = [], alive = [], urls = [];
  // The topology, when the nodes gossip on one (GET /api/state's graph):
  // its edges flat (u0, v0, u1, ...); pos is then its layout. null: the
  // complete graph, whose edges are not drawn.
  var graph = null, graphEdges = [], graphSpacing = 0;
  var MAX_GRAPH_EDGES = 60000; // beyond, a grey wash: not drawn
  var known = []; // per node: message ID -> true
  var freshAt = []; // per node: performance.now() when it learned the selected message
  var messages = []; // in order sent: {id, data, node, informed, full, t50, t99, t100, cost, times, color, index}
  var byID = {};
  var selected = null; // message ID
  var picked = -1; // node whose box is open
  var interval = 500; // ms, for the animation's length
  var flying = []; // {from, to, kind, outcome, start, dur}
  var stats = { frames: 0, events: 0, gossip: 0, since: performance.now(), drawMs: 0 };
  window.liveStats = stats;
  var sent = 0;

  function status(text, error) {
    var s = $("status");
    s.textContent = text;
    s.className = error ? "status error" : "status";
  }

  function api(method, path, body) {
    var init = { method: method, headers: {} };
    if (method !== "GET") {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body || {});
    }
    return fetch(path, init).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (j) {
        if (!r.ok) throw new Error(j.error || r.status + " " + r.statusText);
        return j;
      });
    });
  }

  function load() {
    return api("GET", "/api/state").then(function (st) {
      n = st.nodes.length;
      pos = st.layout;
      setGraph(st.graph);
      alive = [], urls = [], known = [], freshAt = [];
      st.nodes.forEach(function (nd) {
        alive.push(nd.alive);
        urls.push(nd.url);
        var k = {};
        nd.known.forEach(function (id) { k[id] = true; });
        known.push(k);
        freshAt.push(-Infinity);
      });
      messages = [], byID = {};
      st.messages.forEach(function (m) {
        upsert(m).times = (m.curve || []).slice();
      });
      if (!byID[selected]) selected = messages.length ? messages[messages.length - 1].id : null;
      showConfig(st.config);
      showCounters(st.counters);
      place();
      renderMessages();
      renderChart();
    });
  }

  function upsert(m) {
    var msg = byID[m.id];
    if (!msg) {
      msg = { id: m.id, times: [], index: messages.length, color: PALETTE[messages.length % PALETTE.length] };
      messages.push(msg);
      byID[m.id] = msg;
    }
    msg.data = m.data;
    msg.node = m.node;
    msg.informed = m.informed;
    msg.full = m.full_at;
    msg.t50 = m.t50;
    msg.t99 = m.t99;
    msg.t100 = m.t100;
    msg.cost = m.cost;
    return msg;
  }

  function setGraph(g) {
    graph = g && g.edges && g.layout && g.layout.length === n ? g : null;
    graphEdges = [];
    graphSpacing = 0;
    $("legend-graph").hidden = !graph;
    if (!graph) return;
    graph.edges.forEach(function (e) {
      if (e[0] >= 0 && e[0] < n && e[1] >= 0 && e[1] < n) graphEdges.push(e[0], e[1]);
    });
    graphSpacing = nearestSpacing(pos);
  }

  // nearestSpacing is the median distance from a node to its nearest
  // other node, in units of the square: a ring or a grid packs nodes
  // closer than the default layout, and their discs must not overlap.
  function nearestSpacing(p) {
    var d = [];
    for (var i = 0; i < n; i++) {
      var best = Infinity;
      for (var j = 0; j < n; j++) {
        if (j === i) continue;
        var dx = p[2 * i] - p[2 * j], dy = p[2 * i + 1] - p[2 * j + 1], dd = dx * dx + dy * dy;
        if (dd > 0 && dd < best) best = dd;
      }
      if (best < Infinity) d.push(Math.sqrt(best));
    }
    d.sort(function (a, b) { return a - b; });
    return d.length ? d[d.length >> 1] : 0;
  }

  function showConfig(c) {
    $("cfg-mode").value = c.mode;
    $("cfg-fanout").value = c.fanout;
    $("cfg-fanout").max = Math.max(1, n - 1);
    $("cfg-loss").value = c.loss;
    $("cfg-interval").value = c.interval;
    interval = parseDuration(c.interval) || 500;
    var t = c.topology, top = "";
    if (t && t.kind && t.kind !== "complete") {
      top = ", on a " + t.kind + (t.degree ? " of degree " + t.degree : "") + (t.p ? ", p " + t.p : "") +
        (t.rewire ? ", rewire " + t.rewire : "") + (graph ? " (" + graphEdges.length / 2 + " edges)" : "");
    }
    $("params").textContent = n + " nodes" + top + ", " + c.mode + ", fanout " + c.fanout + ", loss " + c.loss +
      ", every " + c.interval + " (each node on its own timer)";
  }

  function parseDuration(s) {
    var m = /^([0-9.]+)(ms|s|m)$/.exec(s || "");
    if (!m) return 0;
    return parseFloat(m[1]) * { ms: 1, s: 1000, m: 60000 }[m[2]];
  }

  function showCounters(c) {
    $("c-sent").textContent = c.sent;
    $("c-delivered").textContent = c.delivered;
    $("c-lost").textContent = c.lost;
    $("c-failed").textContent = c.failed;
    $("c-redundancy").textContent = c.delivered ? (100 * c.redundancy).toFixed(1) + " %" : "–";
    var up = 0;
    for (var i = 0; i < n; i++) if (alive[i]) up++;
    $("c-alive").textContent = up + " / " + n;
  }

  // ---- Layout and drawing (after report/replay) ------------------------------

  var side = 0, nodeR = 4, dpr = 1, pad = 0, span = 1;
  var X = [], Y = [];
  var sprites = {};
  var topo = document.createElement("canvas"), topoDrawn = 0; // the graph's edges, drawn once per placement

  function place() {
    var spacing = (side / 2) * Math.sqrt(Math.PI / Math.max(n, 1));
    if (graph && graphSpacing > 0) spacing = Math.min(spacing, graphSpacing * side * 0.9);
    nodeR = Math.max(1.6, Math.min(14, spacing * 0.3));
    pad = nodeR * 2.4 + 4;
    span = side - 2 * pad;
    X = [], Y = [];
    for (var i = 0; i < n; i++) {
      X.push(Math.round((pad + pos[2 * i] * span) * dpr) / dpr);
      Y.push(Math.round((pad + pos[2 * i + 1] * span) * dpr) / dpr);
    }
    makeSprites();
    drawGraph();
  }

  // drawGraph paints the topology's edges, centre to centre and faint, on
  // their own canvas, which each frame copies under the gossip: thousands
  // of edges cost one drawImage a frame (as on report/replay's page).
  function drawGraph() {
    topoDrawn = 0;
    var m = graphEdges.length / 2;
    if (!graph || !m || m > MAX_GRAPH_EDGES || !side) return;
    topo.width = canvas.width;
    topo.height = canvas.height;
    var g = topo.getContext("2d");
    g.clearRect(0, 0, topo.width, topo.height);
    g.globalAlpha = Math.max(0.12, Math.min(0.6, 14 / Math.sqrt(m)));
    g.strokeStyle = COLOR.graph;
    g.lineWidth = m > 3000 ? 1 : Math.max(1, Math.round(dpr));
    g.beginPath();
    for (var e = 0; e < graphEdges.length; e += 2) {
      var a = graphEdges[e], b = graphEdges[e + 1];
      g.moveTo(Math.round(X[a] * dpr) + 0.5, Math.round(Y[a] * dpr) + 0.5);
      g.lineTo(Math.round(X[b] * dpr) + 0.5, Math.round(Y[b] * dpr) + 0.5);
    }
    g.stroke();
    topoDrawn = m;
  }

  function resize() {
    var w = stage.clientWidth - 12;
    var top = stage.getBoundingClientRect().top + window.scrollY;
    var h = window.innerHeight - top - 90;
    var s = Math.max(240, Math.floor(Math.min(w, Math.max(h, 320))));
    dpr = window.devicePixelRatio || 1;
    if (s !== side || canvas.width !== Math.round(s * dpr)) {
      side = s;
      canvas.style.width = canvas.style.height = s + "px";
      canvas.width = canvas.height = Math.round(s * dpr);
      place();
    }
    if (chart) chart.resize();
  }

  function sprite(radius, paint) {
    var half = Math.ceil(radius * dpr) + 2;
    var c = document.createElement("canvas");
    c.width = c.height = 2 * half;
    var g = c.getContext("2d");
    g.setTransform(dpr, 0, 0, dpr, half, half);
    paint(g);
    return { img: c, half: half };
  }

  function disc(color, radius) {
    return function (g) { g.beginPath(); g.arc(0, 0, radius, 0, 2 * Math.PI); g.fillStyle = color; g.fill(); };
  }

  function makeSprites() {
    var r = nodeR;
    sprites.uninformed = sprite(r, disc(COLOR.uninformed, r));
    sprites.informed = sprite(r, disc(COLOR.informed, r));
    sprites.fresh = sprite(r, disc(COLOR.fresh, r));
    sprites.halo = sprite(r * 2.1, disc(COLOR.halo, r * 2.1));
    sprites.crashed = sprite(r * 1.3, function (g) {
      var x = r * 0.95;
      g.beginPath(); g.moveTo(-x, -x); g.lineTo(x, x); g.moveTo(x, -x); g.lineTo(-x, x);
      g.strokeStyle = COLOR.crashed; g.lineWidth = Math.max(1.6, r * 0.45); g.lineCap = "round"; g.stroke();
    });
    sprites.picked = sprite(r + 5, function (g) {
      g.beginPath(); g.arc(0, 0, r + 3.5, 0, 2 * Math.PI); g.strokeStyle = COLOR.selected; g.lineWidth = 2; g.stroke();
    });
    sprites.entry = sprite(r + 4, function (g) {
      g.beginPath(); g.arc(0, 0, r + 2.5, 0, 2 * Math.PI); g.strokeStyle = COLOR.ink; g.lineWidth = 1.3; g.stroke();
    });
  }

  function stamp(i, sp) { ctx.drawImage(sp.img, Math.round(X[i] * dpr) - sp.half, Math.round(Y[i] * dpr) - sp.half); }

  // One gossip message in flight: a dot that runs from sender to receiver
  // over its edge, coloured by kind. Redundant ones are faint hairlines;
  // lost ones stop half way at a red cross; failed ones are dotted and
  // turn back.
  function drawFlying(now) {
    var keep = [];
    var gap = nodeR + 1;
    for (var k = 0; k < flying.length; k++) {
      var f = flying[k];
      var p = (now - f.start) / f.dur;
      if (p >= 1) continue;
      keep.push(f);
      var x0 = X[f.from], y0 = Y[f.from], x1 = X[f.to], y1 = Y[f.to];
      var dx = x1 - x0, dy = y1 - y0, len = Math.sqrt(dx * dx + dy * dy);
      if (len < 2 * gap + 1) continue;
      var ux = dx / len, uy = dy / len;
      var sx = x0 + ux * gap, sy = y0 + uy * gap, ex = x1 - ux * gap, ey = y1 - uy * gap;
      var color = KIND_COLOR[f.kind] || COLOR.ink;
      var reach = p; // how far along the dot is
      if (f.outcome === OUTCOME.lost) reach = Math.min(p, 0.5);
      if (f.outcome === OUTCOME.failed) reach = p < 0.5 ? p : 1 - p;
      var hx = sx + (ex - sx) * reach, hy = sy + (ey - sy) * reach;
      var fade = 1 - Math.max(0, p - 0.7) / 0.3;
      ctx.globalAlpha = (f.outcome === OUTCOME.redundant ? 0.25 : 0.75) * fade;
      ctx.strokeStyle = f.outcome === OUTCOME.lost ? "#dc2626" : f.outcome === OUTCOME.failed ? "#27303b" : color;
      ctx.lineWidth = f.outcome === OUTCOME.useful ? 2 : 1;
      ctx.setLineDash(f.outcome === OUTCOME.lost ? [5, 4] : f.outcome === OUTCOME.failed ? [2, 3] : []);
      ctx.beginPath();
      ctx.moveTo(sx, sy);
      ctx.lineTo(hx, hy);
      ctx.stroke();
      ctx.setLineDash([]);
      ctx.globalAlpha = fade;
      ctx.fillStyle = color;
      ctx.beginPath();
      ctx.arc(hx, hy, Math.max(1.5, Math.min(3.5, nodeR * 0.25)), 0, 2 * Math.PI);
      ctx.fill();
      if (f.outcome === OUTCOME.lost && p >= 0.5) {
        var c = Math.max(3, nodeR * 0.6);
        ctx.strokeStyle = "#dc2626";
        ctx.lineWidth = 2;
        ctx.beginPath();
        ctx.moveTo(hx - c, hy - c); ctx.lineTo(hx + c, hy + c); ctx.moveTo(hx + c, hy - c); ctx.lineTo(hx - c, hy + c);
        ctx.stroke();
      }
    }
    ctx.globalAlpha = 1;
    flying = keep;
  }

  function draw(now) {
    var t0 = performance.now();
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    if (topoDrawn) ctx.drawImage(topo, 0, 0);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    drawFlying(now);
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    var msg = selected && byID[selected];
    for (var i = 0; i < n; i++) {
      if (!alive[i]) { stamp(i, sprites.crashed); continue; }
      if (msg && known[i][msg.id]) {
        if (now - freshAt[i] < FRESH_MS) { stamp(i, sprites.halo); stamp(i, sprites.fresh); } else stamp(i, sprites.informed);
      } else stamp(i, sprites.uninformed);
    }
    if (msg && msg.node >= 0 && msg.node < n) stamp(msg.node, sprites.entry);
    if (picked >= 0) stamp(picked, sprites.picked);
    stats.drawMs += performance.now() - t0;
  }

  function frame(now) {
    stats.frames++;
    if (side) draw(now);
    requestAnimationFrame(frame);
  }

  // ---- Events --------------------------------------------------------------

  function onGossip(g) {
    stats.gossip++;
    if (g.from < 0 || g.from >= n || g.to < 0 || g.to >= n) return;
    if (flying.length >= MAX_FLYING) flying.shift();
    flying.push({ from: g.from, to: g.to, kind: g.kind, outcome: OUTCOME[g.outcome], start: performance.now(),
      dur: Math.max(250, Math.min(900, interval * 0.9)) });
  }

  function onLearned(e) {
    var msg = upsert(e.message);
    if (e.node >= 0 && e.node < n && !known[e.node][msg.id]) {
      known[e.node][msg.id] = true;
      if (msg.id === selected) freshAt[e.node] = performance.now();
      insertSorted(msg.times, e.t);
    }
    dirtyMessages();
  }

  function insertSorted(a, t) {
    var k = a.length;
    a.push(t);
    while (k > 0 && a[k - 1] > t) { a[k] = a[k - 1]; k--; }
    a[k] = t;
  }

  function onNode(e) {
    alive[e.id] = e.alive;
    urls[e.id] = e.url;
    known[e.id] = {}; // crashed, or back knowing nothing
    if (picked === e.id) showNodeBox(e.id);
    var up = 0;
    for (var i = 0; i < n; i++) if (alive[i]) up++;
    $("c-alive").textContent = up + " / " + n;
  }

  var pending = null;
  function dirtyMessages() {
    if (pending) return;
    pending = setTimeout(function () { pending = null; renderMessages(); renderChart(); }, 200);
  }

  function connect() {
    var es = new EventSource("/api/events");
    es.onopen = function () {
      load().then(function () { status("connected: " + n + " nodes gossiping"); })
        .catch(function (err) { status("cannot read the state: " + err.message, true); });
    };
    es.onerror = function () { status("connection lost; reconnecting…", true); };
    function on(name, f) {
      es.addEventListener(name, function (ev) { stats.events++; if (n) f(JSON.parse(ev.data)); });
    }
    on("gossip", onGossip);
    on("learned", onLearned);
    on("message", function (m) { upsert(m); dirtyMessages(); });
    on("node", onNode);
    on("reset", function () { selected = null; load(); status("reset: every node forgot everything"); });
    on("config", showConfig);
    on("counters", showCounters);
  }

  // ---- Messages, chart -----------------------------------------------------

  function fmt(t) { return t === null || t === undefined ? "–" : t.toFixed(2) + " s"; }

  function renderMessages() {
    var body = $("messages-body");
    body.textContent = "";
    if (!messages.length) {
      var tr = document.createElement("tr");
      tr.className = "empty";
      var td = document.createElement("td");
      td.colSpan = 8;
      td.textContent = "No message yet: send one.";
      tr.appendChild(td);
      body.appendChild(tr);
      return;
    }
    messages.slice().reverse().forEach(function (m) {
      var tr = document.createElement("tr");
      tr.className = "msg" + (m.id === selected ? " selected" : "");
      tr.dataset.id = m.id;
      var sw = document.createElement("span");
      sw.className = "swatch";
      sw.style.background = m.color;
      var cells = [sw, m.data, String(m.node), m.informed + (m.full ? " ✓" : ""), fmt(m.t50), fmt(m.t99), fmt(m.t100), String(m.cost)];
      cells.forEach(function (c, k) {
        var td = document.createElement("td");
        if (k === 0) td.appendChild(c); else td.textContent = c;
        if (k === 1) { td.className = "data"; td.title = m.data; }
        tr.appendChild(td);
      });
      tr.addEventListener("click", function () { select(m.id); });
      body.appendChild(tr);
    });
  }

  function select(id) {
    selected = id;
    for (var i = 0; i < n; i++) freshAt[i] = -Infinity;
    renderMessages();
    renderChart();
  }

  var chart = window.echarts ? echarts.init($("chart"), null, { renderer: "canvas" }) : null;

  function renderChart() {
    if (!chart) return;
    var series = messages.map(function (m) {
      var pts = m.times.map(function (t, k) { return [t, k + 1]; });
      return {
        name: "#" + (m.index + 1), type: "line", step: "end", showSymbol: false, data: pts,
        lineStyle: { width: m.id === selected ? 3 : 1.5, color: m.color }, itemStyle: { color: m.color },
        z: m.id === selected ? 3 : 2, animation: false
      };
    });
    chart.setOption({
      animation: false,
      grid: { left: 44, right: 14, top: 28, bottom: 36 },
      legend: { type: "scroll", top: 0, textStyle: { fontSize: 11 } },
      tooltip: { trigger: "axis", valueFormatter: function (v) { return String(v); } },
      xAxis: { type: "value", name: "seconds since sent", nameLocation: "middle", nameGap: 22, min: 0 },
      yAxis: { type: "value", name: "informed nodes", min: 0, max: n, minInterval: 1 },
      series: series
    }, { replaceMerge: ["series"] });
  }

  // ---- Controls ------------------------------------------------------------

  function send(node) {
    var text = $("send-text").value;
    if (!text) { status("type a message first", true); $("send-text").focus(); return; }
    var body = { data: text };
    if (node !== undefined) body.node = node;
    api("POST", "/api/messages", body).then(function (r) {
      sent++;
      selected = r.id;
      for (var i = 0; i < n; i++) freshAt[i] = -Infinity;
      status("sent to node " + r.node + " (message " + r.id + ")");
      $("send-text").value = "";
      dirtyMessages();
    }).catch(function (err) { status(err.message, true); });
  }

  $("send-form").addEventListener("submit", function (ev) { ev.preventDefault(); send(); });

  function nodeAt(px, py) {
    var best = -1, bestD = Math.max(10, nodeR * 2.2);
    for (var i = 0; i < n; i++) {
      var d = Math.hypot(X[i] - px, Y[i] - py);
      if (d < bestD) { best = i; bestD = d; }
    }
    return best;
  }

  function showNodeBox(i) {
    picked = i;
    $("nodebox").hidden = false;
    $("nb-title").textContent = "node " + i;
    var msg = selected && byID[selected];
    $("nb-state").textContent = !alive[i] ? "crashed" : msg ? (known[i][msg.id] ? "knows #" + (msg.index + 1) : "does not know #" + (msg.index + 1)) : "alive";
    $("nb-url").textContent = urls[i];
    $("nb-send").disabled = !alive[i];
    $("nb-crash").disabled = !alive[i];
    $("nb-restart").disabled = alive[i];
  }

  canvas.addEventListener("click", function (ev) {
    var r = canvas.getBoundingClientRect();
    var i = nodeAt(ev.clientX - r.left, ev.clientY - r.top);
    if (i < 0) { picked = -1; $("nodebox").hidden = true; return; }
    showNodeBox(i);
  });
  canvas.addEventListener("mousemove", function (ev) {
    var r = canvas.getBoundingClientRect();
    var i = nodeAt(ev.clientX - r.left, ev.clientY - r.top);
    if (i < 0) { tip.hidden = true; return; }
    tip.hidden = false;
    tip.textContent = "node " + i + (alive[i] ? "" : " (crashed)") + ": knows " + Object.keys(known[i]).length + " message(s)";
    tip.style.left = (X[i] + 14) + "px";
    tip.style.top = (Y[i] - 8) + "px";
  });
  canvas.addEventListener("mouseleave", function () { tip.hidden = true; });

  $("nb-send").addEventListener("click", function () { send(picked); });
  $("nb-close").addEventListener("click", function () { picked = -1; $("nodebox").hidden = true; });
  function nodeAction(what) {
    var i = picked;
    api("POST", "/api/nodes/" + i + "/" + what).then(function (e) {
      onNode(e);
      status("node " + i + (e.alive ? " is back, knowing nothing" : " crashed"));
    }).catch(function (err) { status(err.message, true); });
  }
  $("nb-crash").addEventListener("click", function () { nodeAction("crash"); });
  $("nb-restart").addEventListener("click", function () { nodeAction("restart"); });

  $("config-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    api("PUT", "/api/config", {
      mode: $("cfg-mode").value, fanout: parseInt($("cfg-fanout").value, 10),
      loss: parseFloat($("cfg-loss").value), interval: $("cfg-interval").value
    }).then(function (c) { showConfig(c); status("config applied"); })
      .catch(function (err) { status(err.message, true); });
  });
  $("reset").addEventListener("click", function () {
    api("POST", "/api/reset").catch(function (err) { status(err.message, true); });
  });

  // For tests and the curious: what the page shows, read back.
  window.live = {
    informed: function () {
      var k = 0;
      for (var i = 0; i < n; i++) if (alive[i] && selected && known[i][selected]) k++;
      return k;
    },
    alive: function (i) { return alive[i]; },
    nodeXY: function (i) { return [X[i], Y[i]]; },
    // The nodes' centres in units of the square the layout fills, and the
    // topology's edges on the canvas: for tests to hold to the state's graph.
    positions: function () {
      var out = [];
      for (var i = 0; i < n; i++) out.push([(X[i] - pad) / span, (Y[i] - pad) / span]);
      return out;
    },
    graphEdges: function () { return topoDrawn; },
    selected: function () { return selected; }
  };

  window.addEventListener("resize", resize);
  resize();
  connect();
  requestAnimationFrame(frame);
})();
