// Verifications of a key over time, one line per outcome (uPlot: small and fast), from GET /v1/api-keys/{id}/usage.
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { Usage } from '../api/client';

const COLORS: Record<string, string> = {
  VALID: '#2f9e44',
  RATE_LIMITED: '#e8590c',
  INSUFFICIENT_SCOPES: '#ae3ec9',
  EXPIRED: '#868e96',
  REVOKED: '#e03131',
  ROTATED: '#1971c2',
  NOT_FOUND: '#f08c00',
  MALFORMED: '#495057',
};

export function UsageChart({ usage }: { usage: Usage }) {
  const box = useRef<HTMLDivElement>(null);
  const outcomes = Object.keys(usage.buckets[0]?.counts ?? {}).filter((o) => usage.buckets.some((b) => (b.counts as Record<string, number>)[o] > 0));
  const shown = outcomes.length ? outcomes : ['VALID'];

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const dark = matchMedia('(prefers-color-scheme: dark)').matches;
    const axis = { stroke: dark ? '#ced4da' : '#343a40', grid: { stroke: dark ? '#343a40' : '#e9ecef' } };
    const data: uPlot.AlignedData = [
      usage.buckets.map((b) => Date.parse(b.start) / 1000),
      ...shown.map((o) => usage.buckets.map((b) => (b.counts as Record<string, number>)[o] ?? 0)),
    ];
    const plot = new uPlot(
      {
        width: el.clientWidth,
        height: 220,
        series: [{}, ...shown.map((o) => ({ label: o, stroke: COLORS[o] ?? '#0b7285', width: 2 }))],
        axes: [axis, axis],
        scales: { y: { range: (_u, _min, max) => [0, Math.max(1, max)] } },
      },
      data,
      el,
    );
    const resize = () => plot.setSize({ width: el.clientWidth, height: 220 });
    addEventListener('resize', resize);
    return () => {
      removeEventListener('resize', resize);
      plot.destroy();
    };
  }, [usage]);

  const total = usage.buckets.reduce((n, b) => n + b.total, 0);
  return (
    <figure className="chart">
      <div ref={box} role="img" aria-label={`Verifications per ${usage.granularity}: ${total} in all, by outcome: ${shown.join(', ')}`} />
      <figcaption className="muted">
        {total.toLocaleString()} verifications from {new Date(usage.from).toLocaleString()} to {new Date(usage.to).toLocaleString()}
      </figcaption>
    </figure>
  );
}
