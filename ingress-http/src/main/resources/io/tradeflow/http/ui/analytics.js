import { h, svg, replace, table, emptyState, num, money, percent, percentPoints, signClass } from './dom.js';
import { get } from './api.js';

const RANGES = [['1d', '1 day'], ['7d', '7 days'], ['30d', '30 days'], ['90d', '90 days'], ['all', 'All time']];

function stat(label, value, cls) {
  return h('div', { class: 'stat' }, h('span', { class: 'stat-label' }, label), h('span', { class: ['stat-value', cls] }, value));
}

/** Daily net P&L as bars around a zero line (plain SVG: no chart library needed). */
function barChart(daily) {
  const W = 640; const H = 200; const pad = 24;
  const max = Math.max(1e-9, ...daily.map((d) => Math.abs(Number(d.net) || 0)));
  const zero = H / 2;
  const bw = (W - pad * 2) / Math.max(1, daily.length);
  return svg('svg', { viewBox: `0 0 ${W} ${H}`, class: 'chart', role: 'img', 'aria-label': 'Daily net profit and loss' },
    svg('line', { x1: pad, x2: W - pad, y1: zero, y2: zero, class: 'axis' }),
    daily.map((d, i) => {
      const v = Number(d.net) || 0;
      const height = Math.max(1, (Math.abs(v) / max) * (H / 2 - pad));
      return svg('rect', {
        x: pad + i * bw + bw * 0.15, width: Math.max(1, bw * 0.7), y: v >= 0 ? zero - height : zero, height, class: v >= 0 ? 'bar-pos' : 'bar-neg',
      }, svg('title', null, `${d.date}: ${money(v)}`));
    }),
    svg('text', { x: pad, y: 14, class: 'chart-label' }, money(max)),
    svg('text', { x: pad, y: H - 4, class: 'chart-label' }, money(-max)));
}

/** Cumulative net P&L over the days shown (the equity curve relative to the start of the range). */
function equityCurve(daily) {
  const W = 640; const H = 200; const pad = 24;
  let sum = 0;
  const points = [0, ...daily.map((d) => { sum += Number(d.net) || 0; return sum; })];
  const min = Math.min(...points); const max = Math.max(...points);
  const span = max - min || 1;
  const x = (i) => pad + (i / Math.max(1, points.length - 1)) * (W - pad * 2);
  const y = (v) => H - pad - ((v - min) / span) * (H - pad * 2);
  const path = points.map((v, i) => `${i === 0 ? 'M' : 'L'}${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
  return svg('svg', { viewBox: `0 0 ${W} ${H}`, class: 'chart', role: 'img', 'aria-label': 'Cumulative profit and loss' },
    svg('line', { x1: pad, x2: W - pad, y1: y(0), y2: y(0), class: 'axis' }),
    svg('path', { d: path, class: sum >= 0 ? 'curve-pos' : 'curve-neg' }),
    svg('text', { x: pad, y: 14, class: 'chart-label' }, money(max)),
    svg('text', { x: pad, y: H - 4, class: 'chart-label' }, money(min)));
}

function breakdown(title, rows, key, keyTitle) {
  return h('section', { class: 'card' }, h('h2', null, title),
    rows.length === 0 ? emptyState('No trades in this range.', 'Closed trades are grouped here.')
      : table([
        { title: keyTitle, cell: (r) => (r[key] === null ? 'Untagged' : r[key]) },
        { title: 'Trades', num: true, cell: (r) => num(r.trades) },
        { title: 'Volume', num: true, cell: (r) => num(r.volume) },
        { title: 'Wins', num: true, cell: (r) => num(r.wins) },
        { title: 'Losses', num: true, cell: (r) => num(r.losses) },
        { title: 'Win rate', num: true, cell: (r) => (r.wins + r.losses > 0 ? percent(r.wins / (r.wins + r.losses)) : '—') },
        { title: 'P&L', num: true, cell: (r) => h('span', { class: signClass(r.pnl) }, money(r.pnl)) },
      ], rows, { caption: title }));
}

export async function analyticsPage(container, ctx) {
  const content = h('div', { class: 'analytics' });
  let range = '30d';
  const chooser = h('div', { class: 'segmented', role: 'radiogroup', 'aria-label': 'Time range' });
  const drawChooser = () => replace(chooser, RANGES.map(([value, label]) => h('button', {
    type: 'button', role: 'radio', 'aria-checked': String(value === range), class: value === range ? 'active' : null,
    on: { click: () => { range = value; drawChooser(); load(); } },
  }, label)));
  const load = async () => {
    const q = `?time_range=${range}`;
    const [metrics, pnl, trades, strategies] = await Promise.all([
      get(`/metrics${q}`), get(`/reports/pnl${q}`), get(`/analytics/trades${q}`), get(`/analytics/strategies${q}`)]);
    const daily = pnl.daily || [];
    replace(content,
      h('div', { class: 'summary' },
        stat('Trades', num(metrics.totalTrades)),
        stat('Net P&L', money(metrics.totalPnL), signClass(metrics.totalPnL)),
        stat('Win rate', percentPoints(metrics.winRate)),
        stat('Profit / loss', `${money(pnl.total && pnl.total.profit)} / ${money(pnl.total && pnl.total.loss)}`)),
      (metrics.totalTrades || 0) === 0 && daily.every((d) => !Number(d.net))
        ? emptyState('No closed trades in this range yet.', 'Profit and loss appear once positions are closed. Pick a longer range, or close a position under Positions.')
        : h('div', { class: 'charts' },
          h('section', { class: 'card' }, h('h2', null, 'Daily P&L (UTC days)'), barChart(daily)),
          h('section', { class: 'card' }, h('h2', null, 'Equity curve (cumulative P&L)'), equityCurve(daily))),
      h('div', { class: 'grid2' },
        breakdown('By symbol', trades.bySymbol || [], 'symbol', 'Symbol'),
        breakdown('By strategy', strategies.byStrategy || [], 'strategy', 'Strategy')));
  };
  drawChooser();
  container.append(chooser, content);
  await load();
}
