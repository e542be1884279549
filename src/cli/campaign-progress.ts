import type { CampaignProgress } from '../index.js';
import type { Output } from './io.js';

/** How often the progress is shown: redrawn on a terminal, a new line otherwise. */
const TTY_EVERY_MS = 100;
const LINE_EVERY_MS = 5000;

/** One line of a campaign's progress: done/total, rate, failures by kind, first seed, ETA. */
export function progressLine(p: CampaignProgress): string {
  const rate = p.elapsedMs > 0 ? (p.done * 1000) / p.elapsedMs : 0;
  const left = p.total - p.done;
  const eta = rate > 0 ? `ETA ${formatSeconds(left / rate)}` : 'ETA -';
  const kinds = Object.entries(p.byKind)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
  const failures =
    p.failures === 0 ? 'no failure' : `${p.failures} failed${kinds ? ` (${kinds})` : ''}`;
  const first = p.firstFailingSeed === null ? '' : `, first failing seed ${p.firstFailingSeed}`;
  const pct = p.total > 0 ? Math.floor((100 * p.done) / p.total) : 100;
  return `${p.done}/${p.total} runs (${pct}%), ${rate.toFixed(1)} runs/s, ${failures}${first}, ${eta}`;
}

function formatSeconds(s: number): string {
  if (s < 60) return `${Math.ceil(s)} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${Math.ceil(s - 60 * m)} s`;
}

/**
 * Shows a campaign's progress on stderr: a bar redrawn in place on a terminal, plain lines
 * every few seconds otherwise (a CI log).
 */
export class ProgressView {
  private last = -Infinity;
  private drawn = false;

  constructor(private readonly io: Output) {}

  update(p: CampaignProgress): void {
    const now = performance.now();
    const every = this.io.errTTY ? TTY_EVERY_MS : LINE_EVERY_MS;
    if (now - this.last < every && p.done < p.total) return;
    this.last = now;
    const line = progressLine(p);
    if (this.io.errTTY) {
      const width = Math.max(20, this.io.width - 12);
      const filled = p.total > 0 ? Math.round((width * p.done) / p.total) : width;
      const bar = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
      this.io.err(`\r\x1b[2K${bar}\n\x1b[2K${line}\x1b[1A\r`);
      this.drawn = true;
    } else {
      this.io.err(`campaign: ${line}\n`);
    }
  }

  /** Leaves the terminal's cursor below the bar. */
  end(): void {
    if (this.drawn) this.io.err('\n\n');
    this.drawn = false;
  }
}
