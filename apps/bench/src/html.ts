import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { type Report, fmt as num } from './report.js';

let chartJs: string | null = null;

/** Chart.js's UMD build, read from node_modules once: inlined into every report so the page needs no network. */
export function chartJsSource(): string {
  if (chartJs === null) {
    const require = createRequire(import.meta.url);
    const dist = dirname(require.resolve('chart.js')); // .../chart.js/dist/chart.cjs
    chartJs = readFileSync(join(dist, 'chart.umd.min.js'), 'utf8');
  }
  return chartJs;
}

const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** JSON that is safe inside a <script> element. */
const scriptJson = (v: unknown): string => JSON.stringify(v).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');

/** JavaScript that is safe inside a <script> element (no premature `</script`). */
const scriptJs = (s: string): string => s.replace(/<\/(script)/gi, '<\\/$1');

const CSS = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 24px; color: #222; max-width: 1200px; }
h1 { font-size: 22px; } h2 { font-size: 18px; margin-top: 32px; border-bottom: 1px solid #ddd; }
table { border-collapse: collapse; font-size: 12px; margin: 8px 0; }
td, th { border: 1px solid #ddd; padding: 2px 6px; text-align: left; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
.meta td:first-child { font-weight: 600; } .status-interrupted, .status-failed, .status-running { color: #b00; font-weight: 600; }
.charts { display: flex; flex-wrap: wrap; gap: 16px; } .chart { width: 560px; height: 320px; position: relative; }
.notes li { color: #555; } .desc { color: #555; }
`;

/** Draws the plots of report.html; runs in the page with Chart.js loaded and the report in #report-data. */
const PAGE_SCRIPT = String.raw`
(function () {
  'use strict';
  var report = JSON.parse(document.getElementById('report-data').textContent);
  var palette = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];
  var colors = {};
  function color(name) {
    if (!(name in colors)) colors[name] = palette[Object.keys(colors).length % palette.length];
    return colors[name];
  }
  function fmt(v) {
    if (v === null || v === undefined || !isFinite(v)) return String(v);
    var a = Math.abs(v);
    if (a !== 0 && (a < 1e-3 || a >= 1e6)) return v.toExponential(1);
    return String(Number(v.toPrecision(3)));
  }
  // Text over bars/points and horizontal reference lines, drawn after the datasets.
  var overlay = {
    id: 'gdlOverlay',
    afterDatasetsDraw: function (chart) {
      var ctx = chart.ctx, area = chart.chartArea, meta = chart.options.plugins.gdlOverlay || {};
      ctx.save();
      (meta.references || []).forEach(function (ref) {
        var y = chart.scales.y.getPixelForValue(ref.value);
        if (!(y >= area.top && y <= area.bottom)) return;
        ctx.strokeStyle = '#444'; ctx.setLineDash([6, 4]); ctx.lineWidth = 1;
        ctx.beginPath(); ctx.moveTo(area.left, y); ctx.lineTo(area.right, y); ctx.stroke();
        ctx.setLineDash([]); ctx.fillStyle = '#444'; ctx.font = '11px sans-serif'; ctx.textAlign = 'right';
        ctx.fillText(ref.label, area.right - 4, y - 4);
      });
      ctx.font = '10px sans-serif'; ctx.textAlign = 'center'; ctx.fillStyle = '#333';
      chart.data.datasets.forEach(function (ds, i) {
        if (!ds.gdlLabels || !chart.isDatasetVisible(i)) return;
        chart.getDatasetMeta(i).data.forEach(function (el, j) {
          var t = ds.gdlLabels[j];
          if (t) ctx.fillText(t, el.x, Math.max(area.top + 10, el.y - 4));
        });
      });
      ctx.restore();
    }
  };
  Chart.register(overlay);
  Chart.defaults.animation = false;
  Chart.defaults.responsive = true;
  Chart.defaults.maintainAspectRatio = false;

  function floorForLog(ys) {
    var pos = ys.filter(function (v) { return v !== null && v > 0; });
    return pos.length ? Math.min.apply(null, pos) / 10 : 1e-18;
  }

  function drawChart(canvas, title, list) {
    var kind = list[0].kind, logY = list.some(function (s) { return s.logY; });
    var refs = [];
    list.forEach(function (s) { if (s.reference && !refs.some(function (r) { return r.label === s.reference.label; })) refs.push(s.reference); });
    var allY = [].concat.apply([], list.map(function (s) { return s.y; }));
    var floor = logY ? floorForLog(allY) : 0;
    var fix = function (v) { return v === null ? null : logY && v <= 0 ? floor : v; };
    var data, scalesX;
    if (kind === 'bar') {
      var labels = [];
      list.forEach(function (s) { s.x.forEach(function (x) { if (labels.indexOf(String(x)) < 0) labels.push(String(x)); }); });
      data = {
        labels: labels,
        datasets: list.map(function (s) {
          var ys = labels.map(function (l) { var k = s.x.map(String).indexOf(l); return k < 0 ? null : fix(s.y[k]); });
          var ls = s.labels ? labels.map(function (l) { var k = s.x.map(String).indexOf(l); return k < 0 ? null : s.labels[k]; }) : null;
          return { label: s.name, data: ys, backgroundColor: color(s.name), gdlLabels: ls };
        })
      };
      scalesX = { type: 'category', title: { display: !!list[0].xLabel, text: list[0].xLabel || '' } };
    } else {
      data = {
        datasets: list.map(function (s) {
          return {
            label: s.name, borderColor: color(s.name), backgroundColor: color(s.name), pointRadius: s.x.length > 60 ? 0 : 2,
            data: s.x.map(function (x, k) { return { x: Number(x), y: fix(s.y[k]) }; }), gdlLabels: s.labels || null
          };
        })
      };
      scalesX = { type: 'linear', title: { display: !!list[0].xLabel, text: list[0].xLabel || '' } };
    }
    return new Chart(canvas, {
      type: kind === 'bar' ? 'bar' : 'line',
      data: data,
      options: {
        plugins: {
          title: { display: true, text: title },
          gdlOverlay: { references: refs },
          tooltip: { callbacks: { label: function (c) { return c.dataset.label + ': ' + fmt(c.parsed.y) + (c.dataset.gdlLabels && c.dataset.gdlLabels[c.dataIndex] ? ' (' + c.dataset.gdlLabels[c.dataIndex] + ')' : ''); } } }
        },
        scales: {
          x: scalesX,
          y: {
            type: logY ? 'logarithmic' : 'linear',
            // keep reference lines (the MatMul peak) inside the plot
            suggestedMax: refs.length ? 1.3 * Math.max.apply(null, refs.map(function (r) { return r.value; })) : undefined,
            title: { display: !!list[0].yLabel, text: list[0].yLabel || '' },
            ticks: logY ? { callback: function (v) { var m = v / Math.pow(10, Math.floor(Math.log10(v) + 1e-9)); return [1, 2, 5].some(function (k) { return Math.abs(m - k) < 1e-6; }) ? fmt(v) : ''; } } : {}
          }
        }
      }
    });
  }

  var drawn = 0, failed = [];
  document.querySelectorAll('canvas[data-task]').forEach(function (canvas) {
    var task = canvas.getAttribute('data-task'), chart = canvas.getAttribute('data-chart');
    var list = report.series.filter(function (s) { return s.task === task && s.chart === chart; });
    try { drawChart(canvas, chart, list); drawn++; } catch (e) { failed.push(chart + ': ' + e.message); console.error('gdl-bench: plot "' + chart + '" failed: ' + e.message); }
  });
  document.body.setAttribute('data-charts-drawn', String(drawn));
  if (failed.length) document.body.setAttribute('data-charts-failed', failed.join('; '));
})();
`;

/** The report as one self-contained HTML page: meta, notes, plots per task (Chart.js inlined) and tables of rows. */
export function renderHtml(report: Report): string {
  const m = report.meta;
  const metaRows: [string, string][] = [
    ['status', `<span class="status-${m.status}">${esc(m.status)}</span>${m.wallSeconds !== undefined ? `, wall time ${m.wallSeconds.toFixed(1)} s` : ''}`],
    ['started / finished', esc(`${m.started} / ${m.finished ?? '-'}`)],
    ['command', `<code>${esc(m.command)}</code>`],
    ['machine', esc(Object.entries(m.machine).map(([k, v]) => `${k}: ${v}`).join(', '))],
    ['versions', esc(Object.entries(m.versions).map(([k, v]) => `${k} ${v}`).join(', '))],
    ['threads / seed', esc(`${m.threads} / ${m.seed}${m.full ? ' (full run)' : ' (default run)'}`)],
    ['tasks', esc(m.tasks.join(', '))],
    ['executors / peers', esc(`${m.executors.join(', ') || 'none'} / ${m.peers.join(', ') || 'none'}`)],
  ];
  if (m.peak) metaRows.push(['MatMul peak (roofline)', esc(`${num(m.peak.gflops)} GFLOP/s (${m.peak.source})`)]);
  const tasks = [...new Set([...report.rows.map((r) => r.task), ...report.series.map((s) => s.task)])];
  const sections = tasks.map((task) => {
    const charts = [...new Set(report.series.filter((s) => s.task === task).map((s) => s.chart))];
    const rows = report.rows.filter((r) => r.task === task);
    const table = rows.length
      ? `<table><tr><th>metric</th><th>value</th><th>unit</th><th>executor</th><th>peer</th><th>ratio</th><th>note</th></tr>${rows
          .map((r) => `<tr><td>${esc(r.metric)}</td><td class="num">${num(r.value)}</td><td>${esc(r.unit)}</td><td>${esc(r.executor ?? '')}</td><td>${esc(r.peer ?? '')}</td><td class="num">${r.ratio === undefined ? '' : num(r.ratio)}</td><td>${esc(r.note ?? '')}</td></tr>`)
          .join('')}</table>`
      : '';
    const canvases = charts.map((c) => `<div class="chart"><canvas data-task="${esc(task)}" data-chart="${esc(c)}"></canvas></div>`).join('');
    return `<h2 id="task-${esc(task)}">${esc(task)}</h2>${canvases ? `<div class="charts">${canvases}</div>` : ''}${table}`;
  });
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>gdl-bench report ${esc(m.started)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>${CSS}</style></head>
<body>
<h1>gdl-bench report</h1>
<table class="meta">${metaRows.map(([k, v]) => `<tr><td>${esc(k)}</td><td>${v}</td></tr>`).join('')}</table>
${report.notes.length ? `<h2>Notes</h2><ul class="notes">${report.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>` : ''}
${sections.join('\n')}
<script type="application/json" id="report-data">${scriptJson({ series: report.series })}</script>
<script>${scriptJs(chartJsSource())}</script>
<script>${PAGE_SCRIPT}</script>
</body></html>
`;
}
