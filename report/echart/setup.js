// Draws spec (built by option.go) into its panels. Everything in spec is
// data from result files: names reach HTML only through esc.
var esc = echarts.format.encodeHTML;
var num = function (v) { return typeof v === 'number' && isFinite(v); };
var fixed = function (v, d) { return v.toFixed(d).replace(/^-(0\.?0*)$/, '$1'); };
var fy = function (v) {
  if (!num(v)) return '–';
  return spec.y.fraction ? fixed(100 * v, spec.y.digits) + ' %' : fixed(v, spec.y.digits);
};
var tickLabel = function (axis, v) {
  for (var i = 0; i < axis.ticks.length; i++) {
    if (Math.abs(axis.ticks[i].value - v) <= 1e-9 * Math.max(1, Math.abs(v))) return axis.ticks[i].label;
  }
  return null;
};
var fx = function (v) {
  var t = tickLabel(spec.x, v);
  if (t !== null) return t;
  return num(v) ? String(Number(v.toPrecision(6))) : String(v);
};
var head = function (v) {
  if (spec.x.categorical) {
    var t = spec.x.ticks[Math.round(v)];
    return t ? t.label : String(v);
  }
  return spec.x.name + ' ' + fx(v);
};

// An error bar with caps, from Lo to Hi at x (data are [x, y, lo, hi]).
var errorBar = function (params, api) {
  var x = api.value(0), lo = api.value(2), hi = api.value(3);
  if (!num(x) || !num(lo) || !num(hi)) return null;
  var a = api.coord([x, lo]), b = api.coord([x, hi]), w = 5;
  var style = { stroke: api.visual('color'), lineWidth: 1.5 };
  var seg = function (x1, y1, x2, y2) { return { type: 'line', shape: { x1: x1, y1: y1, x2: x2, y2: y2 }, style: style }; };
  return { type: 'group', children: [seg(a[0], a[1], b[0], b[1]), seg(a[0] - w, a[1], a[0] + w, a[1]), seg(b[0] - w, b[1], b[0] + w, b[1])] };
};

// A band: one polygon per run of rounds with both edges, drawn at the
// run's first item (data are [x, lo, hi], NaN in a gap).
var band = function (data) {
  var ok = function (d) { return d && num(d[0]) && num(d[1]) && num(d[2]); };
  return function (params, api) {
    var i = params.dataIndex;
    if (!ok(data[i]) || ok(data[i - 1])) return null;
    var lo = [], hi = [];
    for (; ok(data[i]); i++) {
      lo.push(api.coord([data[i][0], data[i][1]]));
      hi.unshift(api.coord([data[i][0], data[i][2]]));
    }
    return { type: 'polygon', shape: { points: lo.concat(hi) }, style: { fill: api.visual('color'), opacity: 0.2 }, silent: true };
  };
};

// The tooltip names what each number is: a mean with its interval, a
// theory, a box's quartiles.
var tooltip = function (meta) {
  return function (ps) {
    ps = [].concat(ps);
    var rows = [], title = null;
    ps.forEach(function (p) {
      var m = meta[p.seriesIndex], v = p.value;
      if (!m) return;
      if (m.role === 'box') {
        var q = p.value; // ECharts puts the category first
        if (q && q.length === 6) q = q.slice(1);
        if (!q || q.length !== 5) return;
        title = esc(String(p.name));
        rows.push('min ' + fy(q[0]) + ', Q1 ' + fy(q[1]) + ', median ' + fy(q[2]) + ', Q3 ' + fy(q[3]) + ', max ' + fy(q[4]));
        if (m.n && m.n[p.dataIndex]) rows.push(m.n[p.dataIndex] + ' converged trials');
        return;
      }
      if ((m.role !== 'line' && m.role !== 'points') || !v || !num(v[1])) return;
      if (title === null) title = esc(head(v[0]));
      var s = p.marker + esc(m.name) + ': ' + fy(v[1]);
      if (m.interval && num(v[2]) && num(v[3])) s += ' (' + esc(m.interval) + ' ' + fy(v[2]) + '–' + fy(v[3]) + ')';
      rows.push(s);
    });
    return rows.length ? '<b>' + (title || '') + '</b><br>' + rows.join('<br>') : '';
  };
};

var axisLabels = function (axis, ax, fraction) {
  ax.axisLabel = ax.axisLabel || {};
  ax.axisLabel.hideOverlap = true;
  if (axis.categorical) {
    // Every category keeps its label: slanted when there are many.
    ax.axisLabel.interval = 0;
    ax.axisLabel.hideOverlap = false;
    if (axis.ticks.length > 6) ax.axisLabel.rotate = 30;
    return;
  }
  if (axis.ticks.length > 0) {
    var values = axis.ticks.map(function (t) { return t.value; });
    ax.axisLabel.customValues = values;
    ax.axisTick = { customValues: values };
  }
  ax.axisLabel.formatter = function (v) {
    var t = tickLabel(axis, v);
    if (t !== null) return t;
    return fraction ? fixed(100 * v, 0) + ' %' : String(Number(v.toPrecision(6)));
  };
};

var charts = spec.panels.map(function (p) {
  var el = document.getElementById(p.id);
  var c = echarts.init(el, null, { renderer: 'canvas' });
  var o = p.option;
  o.series.forEach(function (s, i) {
    var role = p.series[i] && p.series[i].role;
    if (role === 'bar') s.renderItem = errorBar;
    if (role === 'band') { s.renderItem = band(s.data); s.tooltip = { show: false }; }
    if (role === 'bar') s.tooltip = { show: false };
  });
  o.tooltip.formatter = tooltip(p.series);
  o.tooltip.confine = true;
  o.yAxis[0].nameTextStyle = { align: 'left', color: '#555' };
  o.xAxis[0].nameTextStyle = { color: '#555' };
  if (spec.y.log) o.yAxis[0].logBase = 10;
  if (spec.x.log) o.xAxis[0].logBase = 10;
  axisLabels(spec.x, o.xAxis[0], false);
  axisLabels(spec.y, o.yAxis[0], spec.y.fraction);
  c.setOption(o);
  c.group = spec.group;
  if (window.ResizeObserver) new ResizeObserver(function () { c.resize(); }).observe(el);
  else window.addEventListener('resize', function () { c.resize(); });
  return c;
});
echarts.connect(spec.group);

// The page's legend toggles a name in the first panel; connect passes it
// on to the others.
var legend = document.getElementById(spec.group + '-legend');
if (legend && charts.length > 0) {
  legend.querySelectorAll('button.legend-item').forEach(function (b) {
    b.addEventListener('click', function () {
      charts[0].dispatchAction({ type: 'legendToggleSelect', name: b.getAttribute('data-name') });
    });
  });
  charts[0].on('legendselectchanged', function (e) {
    legend.querySelectorAll('button.legend-item').forEach(function (b) {
      var on = e.selected[b.getAttribute('data-name')];
      b.setAttribute('aria-pressed', on === false ? 'false' : 'true');
    });
  });
}
