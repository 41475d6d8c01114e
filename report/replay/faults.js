// Faults over time for the replay player: who is down in a round, who is
// informed (a node that came back empty forgot, and may learn again),
// and which partition stands. Read once from the page's data; replay.js
// draws with it. No network, no dependencies.
(function () {
  "use strict";

  // replayFaults(data, last) answers for rounds 0..last.
  window.replayFaults = function (data, last) {
    var n = data.n, first = data.first;
    var out = data.outages || [], rel = data.relearned || [];
    var parts = data.partitions || [];

    // Per node, its outages [down, up) (up -1: never back) and its
    // learnings in order: the first, then every relearning.
    var downs = [], learns = [];
    for (var k = 0; k < n; k++) {
      downs.push([]);
      learns.push(first[k] >= 0 ? [first[k]] : []);
    }
    for (var i = 0; i + 3 < out.length; i += 4) {
      downs[out[i]].push({ down: out[i + 1], up: out[i + 2] < 0 ? Infinity : out[i + 2], keep: out[i + 3] === 1 });
    }
    for (i = 0; i + 1 < rel.length; i += 2) learns[rel[i]].push(rel[i + 1]);
    for (k = 0; k < n; k++) learns[k].sort(function (a, b) { return a - b; });

    // state[k][r]: 0 not informed, 1 informed before round r, 2 informed
    // in round r, 3 down. A node u is informed at r iff it learned at or
    // before r and no empty comeback (up <= r, not keep) lies after that
    // learning; down in rounds down <= r < up.
    var state = [];
    var informedN = new Int32Array(last + 1), freshN = new Int32Array(last + 1), downN = new Int32Array(last + 1);
    for (k = 0; k < n; k++) {
      var s = new Int8Array(last + 1), L = learns[k], D = downs[k];
      for (var r = 0; r <= last; r++) {
        var st = 0, down = false, learned = -1;
        for (var j = 0; j < D.length; j++) if (D[j].down <= r && r < D[j].up) down = true;
        for (j = 0; j < L.length && L[j] <= r; j++) learned = L[j];
        if (down) st = 3;
        else if (learned >= 0) {
          st = learned === r ? 2 : 1;
          for (j = 0; j < D.length; j++) if (!D[j].keep && D[j].up > learned && D[j].up <= r) st = 0;
        }
        s[r] = st;
        if (st === 3) downN[r]++;
        else if (st) {
          informedN[r]++;
          if (st === 2) freshN[r]++;
        }
      }
      state.push(s);
    }

    var comebacks = 0;
    for (i = 0; i + 3 < out.length; i += 4) if (out[i + 2] >= 0) comebacks++;

    function partitionAt(r) {
      for (var i = 0; i < parts.length; i++) {
        var p = parts[i];
        if (p.round <= r && (p.heal === 0 || r < p.heal)) return p;
      }
      return null;
    }

    // tip says what faults a node went through, for its tooltip.
    function tip(k, r) {
      var lines = [], D = downs[k];
      for (var j = 0; j < D.length; j++) {
        var d = D[j];
        lines.push(d.up === Infinity ? "down from round " + d.down + ", never back"
          : "down rounds " + d.down + "\u2013" + (d.up - 1) + ", back at " + d.up + (d.keep ? " with its state" : " empty"));
      }
      if (learns[k].length > 1) lines.push("learned in rounds " + learns[k].join(", "));
      var p = partitionAt(r);
      if (p) lines.push("group " + p.group[k] + " of the partition");
      return lines;
    }

    return {
      state: function (k, r) { return state[k][r]; },
      informedN: informedN, freshN: freshN, downN: downN,
      comebacks: comebacks, partitions: parts, partitionAt: partitionAt, tip: tip
    };
  };
})();
