// The replay's timeline: informed nodes per round, the alive where faults
// took nodes away, the partitions shaded, and the round shown. Drawn on
// its own canvas by replay.js, which hands it the counts once. No network,
// no dependencies.
(function () {
  "use strict";

  // replayTimeline(canvas, t) draws for rounds 0..t.last of t.n nodes:
  // t.informed[r] and t.down[r] per round, t.partitions as faults.js
  // holds them, in t.colors.
  window.replayTimeline = function (canvas, t) {
    var c = canvas.getContext("2d"), n = t.n, last = t.last, COLOR = t.colors;
    var informedN = t.informed, crashedN = t.down;
    var anyDown = false;
    for (var k = 0; k <= last; k++) anyDown = anyDown || crashedN[k] > 0;

    // draw paints the timeline at device pixel ratio dpr with round
    // marked.
    function draw(round, dpr) {
      var w = canvas.width / dpr, h = canvas.height / dpr;
      if (!w || !h) return;
      c.setTransform(dpr, 0, 0, dpr, 0, 0);
      c.clearRect(0, 0, w, h);
      var left = 4, right = w - 4, top = 6, bottom = h - 16, r;
      function xOf(r) { return last ? left + (r / last) * (right - left) : (left + right) / 2; }
      function yOf(v) { return bottom - (v / n) * (bottom - top); }
      c.strokeStyle = COLOR.grid;
      c.lineWidth = 1;
      c.beginPath();
      c.moveTo(left, yOf(n) + 0.5); c.lineTo(right, yOf(n) + 0.5);
      c.moveTo(left, bottom + 0.5); c.lineTo(right, bottom + 0.5);
      c.stroke();
      // The partitions, shaded over the rounds they stand.
      c.fillStyle = "rgba(200, 30, 30, 0.10)";
      t.partitions.forEach(function (p) {
        var to = p.heal === 0 || p.heal > last ? last : p.heal;
        c.fillRect(xOf(p.round), top - 4, Math.max(2, xOf(to) - xOf(p.round)), bottom - top + 4);
      });
      // Alive, where faults took nodes away.
      if (anyDown) {
        c.beginPath();
        for (r = 0; r <= last; r++) c.lineTo(xOf(r), yOf(n - crashedN[r]));
        c.strokeStyle = COLOR.crashed;
        c.setLineDash([3, 3]);
        c.stroke();
        c.setLineDash([]);
      }
      c.beginPath();
      c.moveTo(xOf(0), bottom);
      for (r = 0; r <= last; r++) c.lineTo(xOf(r), yOf(informedN[r]));
      c.lineTo(xOf(last), bottom);
      c.closePath();
      c.fillStyle = "rgba(37, 99, 235, 0.14)";
      c.fill();
      c.beginPath();
      for (r = 0; r <= last; r++) c.lineTo(xOf(r), yOf(informedN[r]));
      c.strokeStyle = COLOR.informed;
      c.lineWidth = 1.8;
      c.stroke();
      // The current round.
      var cx = xOf(round);
      c.beginPath();
      c.moveTo(cx, top - 4); c.lineTo(cx, bottom);
      c.strokeStyle = COLOR.ink;
      c.lineWidth = 1;
      c.stroke();
      c.beginPath();
      c.arc(cx, yOf(informedN[round]), 3.5, 0, 2 * Math.PI);
      c.fillStyle = COLOR.fresh;
      c.fill();
      c.fillStyle = COLOR.muted;
      c.font = "11px system-ui, sans-serif";
      c.textBaseline = "top";
      c.textAlign = "left";
      c.fillText("round 0", left, bottom + 3);
      c.textAlign = "right";
      c.fillText(String(last), right, bottom + 3);
    }

    // roundAt is the round under a click at clientX.
    function roundAt(clientX) {
      var rect = canvas.getBoundingClientRect();
      var x = (clientX - rect.left - 4) / Math.max(1, rect.width - 8);
      return Math.max(0, Math.min(last, Math.round(x * last)));
    }

    return { draw: draw, roundAt: roundAt };
  };
})();
