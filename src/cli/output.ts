// How the CLI prints: aligned tables for people, JSON (--json) for scripts, a progress bar on a terminal.

function cell(v: unknown): string {
  if (v === null || v === undefined) return '-';
  if (Array.isArray(v)) return v.join(',') || '-';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** Rows of objects as a table of the named columns. */
export function table(rows: Record<string, unknown>[], columns: string[]): string {
  const cells = rows.map((r) => columns.map((c) => cell(r[c])));
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((v, i) => v.padEnd(widths[i])).join('  ').trimEnd();
  return [line(columns.map((c) => c.toUpperCase())), ...cells.map(line)].join('\n') + '\n';
}

/** One object as `field  value` lines. */
export function record(obj: Record<string, unknown>): string {
  const width = Math.max(...Object.keys(obj).map((k) => k.length));
  return Object.entries(obj).map(([k, v]) => `${k.padEnd(width)}  ${cell(v)}`).join('\n') + '\n';
}

export function json(value: unknown): string {
  return JSON.stringify(value, null, 2) + '\n';
}

/** A bar redrawn in place on a terminal; elsewhere a line now and then. */
export class Progress {
  private lastLine = 0;
  constructor(
    private readonly total: number,
    private readonly out: NodeJS.WriteStream,
  ) {}

  update(done: number): void {
    const pct = this.total === 0 ? 100 : Math.floor((done / this.total) * 100);
    if (this.out.isTTY) {
      const width = 30;
      const full = Math.round((pct / 100) * width);
      this.out.write(`\r[${'#'.repeat(full)}${' '.repeat(width - full)}] ${done}/${this.total} (${pct}%)`);
      if (done >= this.total) this.out.write('\n');
    } else if (done >= this.total || Date.now() - this.lastLine > 1000) {
      this.lastLine = Date.now();
      this.out.write(`${done}/${this.total} (${pct}%)\n`);
    }
  }
}
