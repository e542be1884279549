import type { RunResult, Violation } from '../index.js';
import { indentBlock, table } from './layout.js';

/** Violations printed in full; the rest are counted. */
const MAX_VIOLATIONS = 10;

type Row = Record<string, unknown>;

function isRow(v: unknown): v is Row {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function cell(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && !Number.isInteger(v)) return String(Number(v.toPrecision(4)));
  if (v === null || v === undefined) return '-';
  // Results are JSON-able (they cross threads), so this covers booleans and nested values.
  return JSON.stringify(v);
}

/** How many violations a run found in all; `violations` may keep only some of them. */
export function totalViolations(r: Pick<RunResult, 'violationCounts'>): number {
  return Object.values(r.violationCounts).reduce((a, b) => a + b, 0);
}

/** Counts per violation kind, most frequent first: `data-corruption 3, api-misuse 1`. */
export function countByKind(r: Pick<RunResult, 'violationCounts'>): string {
  return Object.entries(r.violationCounts)
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
}

/** One violation: `kind: message`, then its report block indented, if it has one. */
export function renderViolation(v: Violation, indent = 2): string[] {
  const head = `${' '.repeat(indent)}${v.kind}: ${v.message}`;
  return v.report ? [head, ...indentBlock(v.report, indent + 4)] : [head];
}

/** The violations section of a run summary. */
export function renderViolations(r: Pick<RunResult, 'violations' | 'violationCounts'>): string[] {
  const total = totalViolations(r);
  if (total === 0 && r.violations.length === 0) return ['violations: none'];
  const lines = [`violations: ${total} (${countByKind(r)})`];
  const shown = r.violations.slice(0, MAX_VIOLATIONS);
  for (const v of shown) lines.push(...renderViolation(v));
  const more = total - shown.length;
  if (more > 0) {
    const kept = r.violations.length === total ? `all ${total}` : `${r.violations.length} of them`;
    lines.push(`  ... and ${more} more (--json lists ${kept})`);
  }
  return lines;
}

/**
 * Scenario results, generically: an array of records becomes a table, anything else a
 * `key: value` line.
 */
export function renderResults(results: Readonly<Record<string, unknown>>): string[] {
  const lines: string[] = [];
  for (const [key, value] of Object.entries(results)) {
    if (Array.isArray(value) && value.length === 0) {
      lines.push(`${key}: none`);
    } else if (
      Array.isArray(value) &&
      value.some(isRow) &&
      value.every((r) => r === null || isRow(r))
    ) {
      const rows = value.filter(isRow);
      // dmatest's `line` repeats the summary the kernel log already shows.
      const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))].filter((c) => c !== 'line');
      lines.push(
        `${key}:`,
        ...table(
          columns,
          rows.map((r) => columns.map((c) => cell(r[c]))),
        ),
      );
      // A CPU that was stopped (deadline) or crashed reports no result.
      const missing = value.length - rows.length;
      if (missing > 0) lines.push(`  (${missing} without a result)`);
    } else {
      lines.push(`${key}: ${cell(value)}`);
    }
  }
  return lines;
}

/** Counters shown only when not 0, and how they read. */
const IF_ANY: Readonly<Record<string, string>> = {
  eventsLost: 'events lost',
  eventsUnknown: 'events of unknown kinds',
};

/** The counters line of a run; new counters of the library show up as they come. */
export function renderStats(r: RunResult): string {
  const parts = Object.entries(r.stats)
    .filter(([key, n]) => IF_ANY[key] === undefined || n > 0)
    .map(([key, n]) => `${n} ${IF_ANY[key] ?? key}`);
  return `stats: ${parts.join(', ')}`;
}

function verdict(r: RunResult): string {
  switch (r.exitCode) {
    case 0:
      return 'exit 0: no violation';
    case 1:
      return `exit 1: ${totalViolations(r)} violation${totalViolations(r) === 1 ? '' : 's'}`;
    case 3:
      return `exit 3: internal error, actor ${r.error?.actor ?? '?'} crashed (details on stderr)`;
    default: {
      const never: never = r.exitCode;
      return never;
    }
  }
}

/**
 * `seed 1, controlled (pct, 1124 choices, 310 preemptions, 3.2 virtual ms), ran 110 ms,
 * events 4cf6...`
 */
function runHeader(r: RunResult): string {
  const s = r.schedule;
  const how =
    r.mode === 'controlled'
      ? `controlled (${r.strategy ?? '?'}, ${s.choices} choices, ${s.preemptions} preemptions, ${s.virtualMs ?? 0} virtual ms)`
      : r.mode;
  return `seed ${r.seed}, ${how}, ran ${r.durationMs} ms, event hash ${r.eventHash}`;
}

/** What `dmasim run` prints for a finished run (without --json). */
export function renderRun(r: RunResult, opts: { quiet: boolean }): string {
  const lines: string[] = [];
  if (!opts.quiet && r.dmesg.length > 0) lines.push(...r.dmesg, '');
  lines.push(`${r.scenario}: ${runHeader(r)}`, renderStats(r));
  lines.push(...renderResults(r.results), ...renderViolations(r), verdict(r));
  if (r.replayFile) lines.push(`replay file: ${r.replayFile} (dmasim replay ${r.replayFile})`);
  return `${lines.join('\n')}\n`;
}

/** The report of a crashed actor, for stderr; empty when no actor crashed. */
export function renderCrash(r: RunResult): string {
  const e = r.error;
  if (!e) return '';
  const code = e.code ? ` [${e.code}]` : '';
  const stack = e.stack.trim() === '' ? [] : indentBlock(e.stack, 2);
  return [
    `dmasim: internal error: actor ${e.actor} crashed: ${e.name}${code}: ${e.message}`,
    ...stack,
    'dmasim: this is a bug in the simulator or a scenario; please report it with the command',
    'line you ran (the run used --seed ' + String(r.seed) + ').',
    '',
  ].join('\n');
}
