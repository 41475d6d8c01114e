// The replay player: reads the JSON block, draws one round at a time on a
// single canvas (edges first, batched by style, then nodes on top) and
// wires the controls. No network, no dependencies.
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("replay-data").textContent);
  var n = data.n;
  var last = data.rounds.length - 1;
  var first = data.first;
  var crashedAt = data.crashed;
  // Faults over time (faults.js): who is down and who informed in each
  // round, and the partition standing in it.
  var faults = window.replayFaults(data, last);
  // The overlay, on any topology but the complete graph: data.pos is then
  // its layout and data.spiral the sunflower of "by round informed".
  var graph = data.graph || null;
  var spiral = data.spiral || data.pos;
  var graphM = graph ? graph.edges.length / 2 : 0;
  // Past this many edges the overlay is a grey wash that hides the
  // messages: it is not drawn, and the legend says so.
  var MAX_GRAPH_EDGES = 60000;
  // adj: each node's neighbours (CSR), for hovering.
  var adjOff = new Int32Array(n + 1), adj = new Int32Array(2 * graphM);
  if (graph) {
    var ge = graph.edges, fillAt;
    for (var e = 0; e < ge.length; e++) adjOff[ge[e] + 1]++;
    for (e = 0; e < n; e++) adjOff[e + 1] += adjOff[e];
    fillAt = adjOff.slice(0, n);
    for (e = 0; e < ge.length; e += 2) {
      adj[fillAt[ge[e]]++] = ge[e + 1];
      adj[fillAt[ge[e + 1]]++] = ge[e];
    }
  }

  // Outcome codes, in the order the Go side recodes every file to.
  // CUT: failed across a partition (the Go side tells them apart by the
  // split's rule; they are failed in the file).
  var USEFUL = 0, REDUNDANT = 1, LOST = 2, FAILED = 3, CUT = 4;
  var OUTCOMES = ["useful", "redundant", "lost", "failed", "cut"];
  var KINDS = data.kinds; // push, request, answer

  var COLOR = {
    uninformed: "#c3c9d2",
    informed: "#2563eb",
    fresh: "#f59e0b",
    halo: "rgba(245, 158, 11, 0.28)",
    crashed: "#8b1a1a",
    cut: "#c81e1e",
    cutLine: "#7f1d1d",
    ink: "#1f2933",
    grid: "#e1e4e8",
    graph: "#8a96a3",
    muted: "#616e7c"
  };
  // Edge styles, drawn in this order so the interesting ones end on top.
  // Up to `bold` edges of a style are drawn `width` wide; beyond that, and
  // always for redundant ones, as one-device-pixel hairlines, which a
  // canvas draws many times faster than wider lines (and a busy round
  // reads better thin).
  var EDGE_STYLES = [
    { outcome: REDUNDANT, color: "#7b8794", width: 0, bold: 0, dash: [], arrow: false },
    { outcome: FAILED, color: "#27303b", width: 1.5, bold: 80, dash: [2, 3], hairDash: [2, 4], arrow: true, alpha: 0.8 },
    { outcome: LOST, color: "#dc2626", width: 1.5, bold: 80, dash: [5, 4], hairDash: [7, 6], arrow: true, alpha: 0.85 },
    { outcome: USEFUL, color: "#16a34a", width: 1.8, bold: 250, dash: [], arrow: true, alpha: 0.9 }
  ];

  // ---- Per-round data, computed once -----------------------------------

  // edges[r][o]: the from/to pairs of round r with outcome o.
  var edges = [];
  var msgCounts = []; // per round, per outcome
  var kindCounts = []; // per round, per kind
  for (var r = 0; r <= last; r++) {
    var flat = data.rounds[r];
    var oc = [0, 0, 0, 0, 0];
    var kc = KINDS.map(function () { return 0; });
    for (var i = 0; i < flat.length; i += 4) {
      kc[flat[i + 2]]++;
      oc[flat[i + 3]]++;
    }
    var groups = oc.map(function (c) { return new Int32Array(2 * c); });
    var fill = [0, 0, 0, 0, 0];
    for (i = 0; i < flat.length; i += 4) {
      var g = flat[i + 3];
      groups[g][fill[g]++] = flat[i];
      groups[g][fill[g]++] = flat[i + 1];
    }
    edges.push(groups);
    msgCounts.push(oc);
    kindCounts.push(kc);
  }

  // Node counts per round: informed and alive at the end of the round,
  // informed during it, down in it (faults.js).
  var informedN = faults.informedN, freshN = faults.freshN, crashedN = faults.downN;

  // ---- Elements and state ----------------------------------------------

  function $(id) { return document.getElementById(id); }
  var canvas = $("canvas"), stage = $("stage"), tip = $("tip");
  var ctx = canvas.getContext("2d");
  var timeline = $("timeline");
  var timelineView = window.replayTimeline(timeline, { n: n, last: last, informed: informedN, down: crashedN,
    partitions: faults.partitions, colors: COLOR });
  var playBtn = $("play"), backBtn = $("back"), fwdBtn = $("forward");
  var slider = $("round"), speedSel = $("speed"), arrangeSel = $("arrange");
  var show = [true, true, true, true, true];

  // graphEdges: overlay edges on the canvas now (for tests and the legend).
  var state = { round: 0, playing: false, last: last, speed: 1, drawMs: 0, graphEdges: 0 };
  window.replayState = state;
  var timer = null;
  var hover = -1;

  // Geometry, in CSS pixels: side of the square canvas, node radius and
  // every node's centre.
  var side = 0, nodeR = 4, dpr = 1, pad = 0, span = 1;
  var how = "id"; // the arrangement: "id" (the layout) or "order"
  var placedPart = null; // the partition whose groups the nodes are placed in
  var topo = document.createElement("canvas"); // the overlay's edges, drawn once per placement
  var slot = new Int32Array(n); // node -> layout position
  var X = new Float32Array(n), Y = new Float32Array(n); // CSS pixels
  var DX = new Int32Array(n), DY = new Int32Array(n); // device pixels

  // byFirstInformed orders nodes by the round they were first informed,
  // the never informed last, then by id: "by round informed".
  function byFirstInformed(a, b) {
    var fa = first[a] < 0 ? Infinity : first[a], fb = first[b] < 0 ? Infinity : first[b];
    return fa - fb || a - b;
  }

  function arrange(to) {
    var i;
    how = to;
    if (how === "order") {
      // Earlier informed nearer the centre: the epidemic grows outwards.
      var order = [];
      for (i = 0; i < n; i++) order.push(i);
      order.sort(byFirstInformed);
      for (i = 0; i < n; i++) slot[order[i]] = i;
    } else {
      for (i = 0; i < n; i++) slot[i] = i;
    }
    place();
  }

  var nnSpacing = graph ? nearestSpacing(data.pos) : 0;

  // nearestSpacing is the median distance from a node of a layout to its
  // nearest other node, in units of the square: a ring of a thousand
  // nodes or a grid packs them closer than the sunflower does, and their
  // discs must not overlap. O(n²) once: a few ms at the replay limit.
  function nearestSpacing(p) {
    var d = [];
    for (var i = 0; i < n; i++) {
      var best = Infinity;
      for (var j = 0; j < n; j++) {
        if (j === i) continue;
        var dx = p[2 * i] - p[2 * j], dy = p[2 * i + 1] - p[2 * j + 1], dd = dx * dx + dy * dy;
        if (dd > 0 && dd < best) best = dd;
      }
      if (best < Infinity) d.push(Math.sqrt(best) / 10000);
    }
    d.sort(function (a, b) { return a - b; });
    return d.length ? d[d.length >> 1] : 0;
  }

  // orderedSeats are a partition's places by round informed: each group's
  // sunflower (pp.seats, in node order) handed out again, the earlier
  // informed nearer its centre, as the whole is without a partition.
  function orderedSeats(pp) {
    if (pp.ordered) return pp.ordered;
    var seats = pp.seats || pp.pos, byGroup = [], out = new Int32Array(2 * n);
    for (var u = 0; u < n; u++) (byGroup[pp.group[u]] = byGroup[pp.group[u]] || []).push(u);
    byGroup.forEach(function (us) {
      var ranked = us.slice().sort(byFirstInformed);
      for (var k = 0; k < us.length; k++) {
        out[2 * ranked[k]] = seats[2 * us[k]];
        out[2 * ranked[k] + 1] = seats[2 * us[k] + 1];
      }
    });
    return (pp.ordered = out);
  }

  function place() {
    // Radius from the area each node gets in the disc, kept visible for
    // thousands of nodes and modest for a handful; on a graph's layout,
    // from the spacing of its nodes.
    var spacing = (side / 2) * Math.sqrt(Math.PI / n);
    if (graph && how !== "order" && nnSpacing > 0) spacing = Math.min(spacing, nnSpacing * side * 0.9);
    nodeR = Math.max(1.6, Math.min(14, spacing * 0.3));
    pad = nodeR * 2.4 + 4;
    span = side - 2 * pad;
    // While a partition stands its groups stand apart in either
    // arrangement: by node id at the partition's places, by round
    // informed in a sunflower per group (orderedSeats).
    // A partition's places are by node; the whole's by slot.
    placedPart = faults.partitionAt(state.round);
    var p = how === "order" ? spiral : data.pos;
    if (placedPart) p = how === "order" ? orderedSeats(placedPart) : placedPart.pos;
    // Centres sit on device pixel corners, where the node sprites are
    // centred too.
    for (var i = 0; i < n; i++) {
      var k = placedPart ? i : slot[i];
      DX[i] = Math.round((pad + (p[2 * k] / 10000) * span) * dpr);
      DY[i] = Math.round((pad + (p[2 * k + 1] / 10000) * span) * dpr);
      X[i] = DX[i] / dpr;
      Y[i] = DY[i] / dpr;
    }
    makeSprites();
    drawGraph();
  }

  // drawGraph paints the overlay's edges, centre to centre, faint, onto
  // their own canvas, which every frame then copies under the messages:
  // thousands of edges cost one drawImage a frame. Only on the graph's
  // layout: arranged by round informed, its edges would be a tangle.
  function drawGraph() {
    state.graphEdges = 0;
    if (!graph || how === "order" || graphM > MAX_GRAPH_EDGES || !side) return;
    topo.width = canvas.width;
    topo.height = canvas.height;
    var g = topo.getContext("2d");
    g.setTransform(1, 0, 0, 1, 0, 0);
    g.clearRect(0, 0, topo.width, topo.height);
    var ge = graph.edges;
    g.globalAlpha = Math.max(0.12, Math.min(0.6, 14 / Math.sqrt(graphM)));
    g.strokeStyle = COLOR.graph;
    g.lineWidth = graphM > 3000 ? 1 : Math.max(1, Math.round(dpr));
    g.beginPath();
    for (var e = 0; e < ge.length; e += 2) {
      // Half-pixel offsets keep one-pixel lines sharp.
      g.moveTo(DX[ge[e]] + 0.5, DY[ge[e]] + 0.5);
      g.lineTo(DX[ge[e + 1]] + 0.5, DY[ge[e + 1]] + 0.5);
    }
    g.stroke();
    state.graphEdges = graphM;
  }

  // positions are the nodes' centres in units of the square the layout
  // fills, as drawn: for tests to compare with the replay's layout.
  state.positions = function () {
    var out = [];
    for (var i = 0; i < n; i++) out.push([(X[i] - pad) / span, (Y[i] - pad) / span]);
    return out;
  };

  // nodeStates are every node's state in the round shown (nodeState),
  // for tests to compare with the replay's outages.
  state.nodeStates = function () {
    var out = [];
    for (var i = 0; i < n; i++) out.push(nodeState(i, state.round));
    return out;
  };

  function resize() {
    var cs = getComputedStyle(stage);
    var w = stage.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
    var top = stage.getBoundingClientRect().top + window.scrollY;
    var h = window.innerHeight - top - 26 - parseFloat(cs.paddingTop) - parseFloat(cs.paddingBottom) - (stage.offsetHeight - stage.clientHeight);
    var s = Math.floor(Math.min(w, Math.max(h, 320)));
    s = Math.max(200, s);
    dpr = window.devicePixelRatio || 1;
    if (s !== side || canvas.width !== Math.round(s * dpr)) {
      side = s;
      canvas.style.width = canvas.style.height = s + "px";
      canvas.width = canvas.height = Math.round(s * dpr);
      place();
    }
    var tw = timeline.clientWidth, th = timeline.clientHeight;
    timeline.width = Math.round(tw * dpr);
    timeline.height = Math.round(th * dpr);
    draw();
  }

  // ---- Drawing -----------------------------------------------------------

  // Nodes are stamped from small pre-drawn sprites: a thousand drawImage
  // calls cost about half as much as a path of a thousand circles.
  var sprites = {};

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
    return function (g) {
      g.beginPath();
      g.arc(0, 0, radius, 0, 2 * Math.PI);
      g.fillStyle = color;
      g.fill();
    };
  }

  function makeSprites() {
    var r = nodeR;
    sprites.uninformed = sprite(r, disc(COLOR.uninformed, r));
    sprites.informed = sprite(r, disc(COLOR.informed, r));
    sprites.fresh = sprite(r, disc(COLOR.fresh, r));
    sprites.halo = sprite(r * 2.1, disc(COLOR.halo, r * 2.1));
    sprites.smallHalo = sprite(r * 1.7, disc(COLOR.halo, r * 1.7));
    sprites.crashed = sprite(r * 1.3, function (g) {
      var x = r * 0.95;
      g.beginPath();
      g.moveTo(-x, -x); g.lineTo(x, x);
      g.moveTo(x, -x); g.lineTo(-x, x);
      g.strokeStyle = COLOR.crashed;
      g.lineWidth = Math.max(1.6, r * 0.45);
      g.lineCap = "round";
      g.stroke();
    });
    var ring = r + Math.max(2, r * 0.45), ringW = Math.max(1.4, r * 0.3);
    sprites.source = sprite(ring + ringW, function (g) {
      g.beginPath();
      g.arc(0, 0, ring, 0, 2 * Math.PI);
      g.strokeStyle = COLOR.ink;
      g.lineWidth = ringW;
      g.stroke();
    });
    sprites.hover = sprite(r + 5, function (g) {
      g.beginPath();
      g.arc(0, 0, r + 3.5, 0, 2 * Math.PI);
      g.strokeStyle = COLOR.ink;
      g.lineWidth = 2;
      g.stroke();
    });
  }

  // stamp draws sprite sp at every node of list; the context must be in
  // device pixels (identity transform).
  function stamp(list, sp) {
    var img = sp.img, h = sp.half;
    for (var i = 0; i < list.length; i++) ctx.drawImage(img, DX[list[i]] - h, DY[list[i]] - h);
  }

  // strokeEdges draws the from/to pairs of list, from the rim of one node
  // to the rim of the other, with arrowheads if the style has them. Wide
  // lines get a path each; hairlines share one path, and so do arrowheads.
  function strokeEdges(list, style, alpha, width) {
    if (!list.length) return;
    var hair = width * dpr <= 1;
    if (hair) width = 1 / dpr;
    var arrow = style.arrow;
    var head = Math.max(3.5, Math.min(9, nodeR * 1.2)) * (hair ? 0.75 : 1);
    var gap = nodeR + 1;
    var heads = arrow ? [] : null;
    ctx.globalAlpha = alpha;
    ctx.strokeStyle = style.color;
    ctx.lineWidth = width;
    ctx.setLineDash(hair && style.hairDash ? style.hairDash : style.dash);
    ctx.beginPath();
    for (var i = 0; i < list.length; i += 2) {
      var a = list[i], b = list[i + 1];
      var x0 = X[a], y0 = Y[a], x1 = X[b], y1 = Y[b];
      var dx = x1 - x0, dy = y1 - y0;
      var len = Math.sqrt(dx * dx + dy * dy);
      if (len < 2 * gap + 1) continue;
      var ux = dx / len, uy = dy / len;
      var tx = x1 - ux * gap, ty = y1 - uy * gap;
      if (!hair) ctx.beginPath();
      ctx.moveTo(x0 + ux * gap, y0 + uy * gap);
      if (arrow) {
        ctx.lineTo(tx - ux * head * 0.8, ty - uy * head * 0.8);
        heads.push(tx, ty, ux, uy);
      } else {
        ctx.lineTo(tx, ty);
      }
      if (!hair) ctx.stroke();
    }
    if (hair) ctx.stroke();
    ctx.setLineDash([]);
    if (arrow && heads.length) {
      ctx.beginPath();
      var hw = head * 0.5;
      for (i = 0; i < heads.length; i += 4) {
        var hx = heads[i], hy = heads[i + 1], vx = heads[i + 2], vy = heads[i + 3];
        var bx = hx - vx * head, by = hy - vy * head;
        ctx.moveTo(hx, hy);
        ctx.lineTo(bx - vy * hw, by + vx * hw);
        ctx.lineTo(bx + vy * hw, by - vx * hw);
        ctx.closePath();
      }
      ctx.fillStyle = style.color;
      ctx.fill();
    }
    ctx.globalAlpha = 1;
  }

  // nodeState: 0 not informed, 1 informed before round r, 2 informed in
  // round r, 3 crashed.
  function nodeState(k, r) { return faults.state(k, r); }

  // The cut of the partition standing in round r: a vertical line
  // between each two neighbouring groups' columns (the nodes are placed
  // in them, faults.go, in either arrangement).
  function cutXs(r) {
    var p = faults.partitionAt(r), xs = [];
    if (!p || placedPart !== p) return xs;
    for (var g = 1; g < p.groups; g++) xs.push(pad + (g / p.groups) * span);
    return xs;
  }

  function drawCut(r) {
    var xs = cutXs(r);
    if (!xs.length) return;
    ctx.save();
    ctx.strokeStyle = COLOR.cutLine;
    ctx.globalAlpha = 0.55;
    ctx.lineWidth = 1.5;
    ctx.setLineDash([8, 5]);
    ctx.beginPath();
    xs.forEach(function (x) { ctx.moveTo(x, 2); ctx.lineTo(x, side - 2); });
    ctx.stroke();
    ctx.restore();
  }

  // strokeCut draws messages failed across the partition: from the sender
  // to the cut line they could not pass, dashed red, ending in a bar (with
  // no cut line drawn, halfway).
  function strokeCut(list, r, alpha, width) {
    if (!list.length) return;
    var p = faults.partitionAt(r), xs = cutXs(r), bars = [];
    ctx.globalAlpha = alpha;
    ctx.strokeStyle = COLOR.cut;
    ctx.lineWidth = width;
    ctx.setLineDash([6, 3]);
    ctx.beginPath();
    for (var i = 0; i < list.length; i += 2) {
      var a = list[i], b = list[i + 1];
      var x0 = X[a], y0 = Y[a], x1 = X[b], y1 = Y[b], t = 0.5;
      if (xs.length && p && x1 !== x0) {
        var ga = p.group[a], gb = p.group[b];
        var bx = xs[gb > ga ? ga : ga - 1];
        t = Math.max(0, Math.min(1, (bx - x0) / (x1 - x0)));
      }
      var ex = x0 + (x1 - x0) * t, ey = y0 + (y1 - y0) * t;
      ctx.moveTo(x0, y0);
      ctx.lineTo(ex, ey);
      var len = Math.sqrt((x1 - x0) * (x1 - x0) + (y1 - y0) * (y1 - y0)) || 1;
      bars.push(ex, ey, (x1 - x0) / len, (y1 - y0) / len);
    }
    ctx.stroke();
    ctx.setLineDash([]);
    ctx.beginPath();
    var hw = Math.max(3, nodeR * 0.9);
    for (i = 0; i < bars.length; i += 4) {
      ctx.moveTo(bars[i] - bars[i + 3] * hw, bars[i + 1] + bars[i + 2] * hw);
      ctx.lineTo(bars[i] + bars[i + 3] * hw, bars[i + 1] - bars[i + 2] * hw);
    }
    ctx.lineWidth = width + 0.6;
    ctx.stroke();
    ctx.globalAlpha = 1;
  }

  var STATE_SPRITES = ["uninformed", "informed", "fresh", "crashed"];

  function drawNodes(list, r) {
    var byState = [[], [], [], []];
    for (var i = 0; i < list.length; i++) byState[nodeState(list[i], r)].push(list[i]);
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    stamp(byState[2], byState[2].length > 100 ? sprites.smallHalo : sprites.halo);
    for (var s = 0; s < 4; s++) stamp(byState[s], sprites[STATE_SPRITES[s]]);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  }

  var everyNode = [];
  for (i = 0; i < n; i++) everyNode.push(i);

  function draw() {
    if (!ctx || !side) return;
    var t0 = performance.now();
    var r = state.round;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.lineCap = "butt";
    if (state.graphEdges) {
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.drawImage(topo, 0, 0);
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    }

    var groups = edges[r];
    drawCut(r);
    if (show[CUT]) strokeCut(groups[CUT], r, 0.9, 1.8);
    for (var s = 0; s < EDGE_STYLES.length; s++) {
      var st = EDGE_STYLES[s], list = groups[st.outcome];
      if (!show[st.outcome] || !list.length) continue;
      var count = list.length / 2, alpha = st.alpha, width = st.width;
      if (st.outcome === REDUNDANT) {
        // Fainter the more there are, so a busy round stays readable.
        alpha = Math.max(0.08, Math.min(0.55, 5.5 / Math.sqrt(count)));
      } else if (count > st.bold) {
        width = 0;
        alpha *= Math.max(0.4, Math.min(1, Math.sqrt(2 * st.bold / count)));
      }
      if (width * dpr <= 1 && dpr > 1) alpha = Math.min(1, alpha * 1.5); // hairlines are thinner on dense screens
      strokeEdges(list, st, alpha, width);
    }

    drawNodes(everyNode, r);
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    stamp([data.source], sprites.source);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);

    if (hover >= 0) drawHover(r);

    state.drawMs = performance.now() - t0;
    drawTimeline();
  }

  // drawHover fades the picture and redraws the hovered node, its
  // messages of the round and their other ends on top.
  function drawHover(r) {
    ctx.fillStyle = "rgba(255, 255, 255, 0.72)";
    ctx.fillRect(0, 0, side, side);
    var flat = data.rounds[r];
    var mine = [[], [], [], [], []], peers = [hover];
    if (state.graphEdges) {
      // The hovered node's edges of the graph: where it can send at all.
      ctx.globalAlpha = 0.7;
      ctx.strokeStyle = COLOR.graph;
      ctx.lineWidth = 1;
      ctx.beginPath();
      for (i = adjOff[hover]; i < adjOff[hover + 1]; i++) {
        ctx.moveTo(X[hover], Y[hover]);
        ctx.lineTo(X[adj[i]], Y[adj[i]]);
        peers.push(adj[i]);
      }
      ctx.stroke();
      ctx.globalAlpha = 1;
    }
    for (var i = 0; i < flat.length; i += 4) {
      if (flat[i] === hover || flat[i + 1] === hover) {
        mine[flat[i + 3]].push(flat[i], flat[i + 1]);
        peers.push(flat[i] === hover ? flat[i + 1] : flat[i]);
      }
    }
    for (var s = 0; s < EDGE_STYLES.length; s++) {
      var st = EDGE_STYLES[s];
      strokeEdges(mine[st.outcome], { color: st.outcome === REDUNDANT ? "#616e7c" : st.color, dash: st.dash, arrow: true }, 1, 2.2);
    }
    strokeCut(mine[CUT], r, 1, 2.2);
    drawNodes(peers, r);
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    stamp([hover], sprites.hover);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  }

  function drawTimeline() { timelineView.draw(state.round, dpr); }

  // ---- Counters ----------------------------------------------------------

  function text(id, s) { $(id).textContent = s; }

  function update() {
    var r = state.round;
    slider.value = String(r);
    text("round-label", "Round " + r + " / " + last);
    var alive = n - crashedN[r];
    text("informed", String(informedN[r]));
    text("informed-pct", "of " + alive + (alive ? " (" + pct(informedN[r], alive) + ")" : ""));
    text("new", String(freshN[r]));
    text("uninformed", String(alive - informedN[r]));
    text("crashed", String(crashedN[r]));
    var oc = msgCounts[r], total = 0;
    for (var o = 0; o < OUTCOMES.length; o++) {
      text("msg-" + OUTCOMES[o], data.no_edges ? "-" : String(oc[o]));
      total += oc[o];
    }
    // Free running: messages the nodes' logs dropped count in the total,
    // and are said apart, not drawn.
    var missed = data.unrecorded ? data.unrecorded[r] || 0 : 0;
    text("sent", data.no_edges ? "-" : String(total + missed));
    var kc = kindCounts[r], parts = [];
    for (var k = 0; k < KINDS.length; k++) if (kc[k]) parts.push(kc[k] + " " + KINDS[k] + (kc[k] === 1 ? "" : "s"));
    if (missed) parts.push(missed + " not recorded");
    text("kinds", data.no_edges || (r === 0 ? "Round 0: the rumor is injected at the source." : parts.length ? parts.join(" \u00b7 ") : "No messages."));
    playBtn.textContent = state.playing ? "Pause" : "Play";
    playBtn.setAttribute("aria-pressed", state.playing ? "true" : "false");
    backBtn.disabled = r <= 0;
    fwdBtn.disabled = r >= last;
    playBtn.disabled = last === 0;
    if (hover >= 0) showTip(hover);
    var part = faults.partitionAt(r);
    text("partition", part ? partText(part) : "none this round");
    if (part !== placedPart) place();
    draw();
  }

  function partText(p) {
    return p.groups + " groups" + (p.oneway ? ", one-way (group 0 cannot reach the others)" : "") +
      ", rounds " + p.round + "\u2013" + (p.heal ? p.heal - 1 : last);
  }

  function pct(a, b) {
    var p = (100 * a) / b;
    return (p > 0 && p < 1 ? p.toFixed(1) : p >= 99 && p < 100 ? p.toFixed(1) : Math.round(p)) + "%";
  }

  // ---- Navigation and playback ------------------------------------------

  function setRound(r) {
    r = Math.max(0, Math.min(last, r | 0));
    state.round = r;
    writeHash();
    update();
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(tick, 800 / state.speed);
  }

  function tick() {
    timer = null;
    if (!state.playing) return;
    if (state.round < last) setRound(state.round + 1);
    if (state.round >= last) pause();
    else schedule();
  }

  function play() {
    if (last === 0) return;
    if (state.round >= last) state.round = 0;
    state.playing = true;
    setRound(state.round);
    schedule();
  }

  function pause() {
    state.playing = false;
    clearTimeout(timer);
    timer = null;
    update();
  }

  function toggle() { if (state.playing) pause(); else play(); }

  // step moves by d rounds; a user stepping takes over from playback.
  function step(d) {
    if (state.playing) {
      state.playing = false;
      clearTimeout(timer);
    }
    setRound(state.round + d);
  }

  playBtn.addEventListener("click", toggle);
  backBtn.addEventListener("click", function () { step(-1); });
  fwdBtn.addEventListener("click", function () { step(1); });
  slider.addEventListener("input", function () {
    if (state.playing) { state.playing = false; clearTimeout(timer); }
    setRound(+slider.value);
  });
  speedSel.addEventListener("change", function () {
    state.speed = +speedSel.value || 1;
    writeHash();
    if (state.playing) schedule();
  });
  arrangeSel.addEventListener("change", function () {
    arrange(arrangeSel.value);
    writeHash();
    draw();
  });
  OUTCOMES.forEach(function (name, o) {
    var box = $("show-" + name);
    box.addEventListener("change", function () {
      show[o] = box.checked;
      writeHash();
      draw();
    });
  });

  document.addEventListener("keydown", function (e) {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    var t = e.target, tag = t && t.tagName;
    var own = tag === "SELECT" || tag === "BUTTON" || (tag === "INPUT" && t.type !== "range");
    var range = tag === "INPUT" && t.type === "range";
    switch (e.key) {
      case " ":
      case "Spacebar":
        if (own) return; // the focused control handles it
        e.preventDefault();
        toggle();
        break;
      case "ArrowLeft":
      case "ArrowRight":
        if (tag === "SELECT" || range) return; // the slider moves itself
        e.preventDefault();
        step(e.key === "ArrowLeft" ? -1 : 1);
        break;
      case "Home":
      case "End":
        if (tag === "SELECT" || range) return;
        e.preventDefault();
        step(e.key === "Home" ? -last : last);
        break;
    }
  });

  // Timeline: click or drag to go to a round.
  var scrubbing = false;
  function seek(e) { step(timelineView.roundAt(e.clientX) - state.round); }
  timeline.addEventListener("pointerdown", function (e) {
    scrubbing = true;
    timeline.setPointerCapture(e.pointerId);
    seek(e);
  });
  timeline.addEventListener("pointermove", function (e) { if (scrubbing) seek(e); });
  timeline.addEventListener("pointerup", function () { scrubbing = false; });

  // ---- Hover -------------------------------------------------------------

  function nearest(x, y) {
    var best = -1, bestD = Math.max(nodeR * 1.8, 7);
    bestD *= bestD;
    for (var k = 0; k < n; k++) {
      var dx = X[k] - x, dy = Y[k] - y, d = dx * dx + dy * dy;
      if (d < bestD) { bestD = d; best = k; }
    }
    return best;
  }

  function showTip(k) {
    var r = state.round, f = first[k], c = crashedAt[k];
    var lines = ["<b>Node " + k + "</b>" + (k === data.source ? " (source)" : "")];
    if (graph) lines.push((adjOff[k + 1] - adjOff[k]) + " neighbours");
    lines.push(f < 0 ? "never informed" : "informed in round " + f);
    if (c >= 0 && !faults.comebacks) lines.push("crashed at round " + c);
    else lines = lines.concat(faults.tip(k, r));
    var flat = data.rounds[r], sent = 0, got = 0;
    for (var i = 0; i < flat.length; i += 4) {
      if (flat[i] === k) sent++;
      if (flat[i + 1] === k && (flat[i + 3] === USEFUL || flat[i + 3] === REDUNDANT)) got++;
    }
    if (r > 0) lines.push("round " + r + ": sent " + sent + ", received " + got);
    tip.innerHTML = lines.join("<br>");
    tip.hidden = false;
    var sx = canvas.offsetLeft + X[k], sy = canvas.offsetTop + Y[k];
    var left = sx + 14, topY = sy + 14;
    if (left + tip.offsetWidth > stage.clientWidth - 4) left = sx - 14 - tip.offsetWidth;
    if (topY + tip.offsetHeight > stage.clientHeight - 4) topY = sy - 14 - tip.offsetHeight;
    tip.style.left = left + "px";
    tip.style.top = topY + "px";
  }

  canvas.addEventListener("mousemove", function (e) {
    var rect = canvas.getBoundingClientRect();
    var k = nearest(e.clientX - rect.left, e.clientY - rect.top);
    if (k === hover) return;
    hover = k;
    if (k >= 0) showTip(k);
    else tip.hidden = true;
    draw();
  });
  canvas.addEventListener("mouseleave", function () {
    if (hover < 0) return;
    hover = -1;
    tip.hidden = true;
    draw();
  });

  // ---- The URL hash: #round=5&arrange=order&hide=redundant&speed=2 ---------

  function readHash() {
    var h = location.hash.replace(/^#/, ""), p = {};
    h.split("&").forEach(function (kv) {
      var i = kv.indexOf("=");
      if (i > 0) p[decodeURIComponent(kv.slice(0, i))] = decodeURIComponent(kv.slice(i + 1));
    });
    if (p.speed && speedSel.querySelector('option[value="' + CSS.escape(p.speed) + '"]')) {
      speedSel.value = p.speed;
      state.speed = +p.speed;
    }
    var to = p.arrange === "order" ? "order" : "id";
    arrangeSel.value = to;
    arrange(to);
    var hidden = (p.hide || "").split(",");
    OUTCOMES.forEach(function (name, o) {
      show[o] = hidden.indexOf(name) < 0;
      $("show-" + name).checked = show[o];
    });
    state.round = Math.max(0, Math.min(last, parseInt(p.round, 10) || 0));
    return p;
  }

  function writeHash() {
    var parts = ["round=" + state.round];
    if (arrangeSel.value !== "id") parts.push("arrange=" + arrangeSel.value);
    var hidden = OUTCOMES.filter(function (name, o) { return !show[o]; });
    if (hidden.length) parts.push("hide=" + hidden.join(","));
    if (state.speed !== 1) parts.push("speed=" + state.speed);
    try {
      history.replaceState(null, "", "#" + parts.join("&"));
    } catch (err) {
      // Some browsers refuse replaceState on file:// pages; the hash is a
      // convenience only.
    }
  }

  window.addEventListener("hashchange", function () {
    readHash();
    update();
  });
  window.addEventListener("resize", resize);

  if (faults.partitions.length) $("legend-cut").hidden = $("legend-partition").hidden = $("note-cut").hidden = false;
  if (faults.comebacks) text("crashed-label", "down");
  if (graph) {
    arrangeSel.options[0].textContent = "as the graph's layout";
    $("legend-graph").hidden = false;
    text("graph-edges", String(graphM));
    if (graphM > MAX_GRAPH_EDGES) text("graph-note", "(too many to draw)");
  }
  var params = readHash();
  resize();
  update();
  document.body.dataset.ready = "1";

  // #bench=N: time N redraws of the current round (for tests and tuning).
  var bench = parseInt(params.bench, 10);
  if (bench > 0) {
    var t0 = performance.now();
    for (var b = 0; b < bench; b++) {
      draw();
      ctx.getImageData(0, 0, 1, 1); // wait for the pixels, not just the commands
    }
    var ms = (performance.now() - t0) / bench;
    document.body.dataset.drawMs = ms.toFixed(3);
    $("perf").textContent = "Draw: " + ms.toFixed(2) + " ms per frame (" + n + " nodes, " + data.rounds[state.round].length / 4 + " messages)";
    console.log("replay bench: " + ms.toFixed(3) + " ms per frame, " + n + " nodes, " + data.rounds[state.round].length / 4 + " edges, round " + state.round);
  }
})();
