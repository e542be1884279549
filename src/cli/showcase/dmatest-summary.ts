/** The fields of a dmatest thread summary the showcase reads (RunResult.results.threads). */
export interface ThreadSummary {
  thread: string;
  tests: number;
  failures: number;
  line: string;
}

function isThreadSummary(v: unknown): v is ThreadSummary {
  if (typeof v !== 'object' || v === null) return false;
  const t = v as Record<string, unknown>;
  return (
    typeof t.thread === 'string' &&
    typeof t.tests === 'number' &&
    typeof t.failures === 'number' &&
    typeof t.line === 'string'
  );
}

/** dmatest's per-thread summaries from a run's results; [] when they are not there. */
export function dmatestThreads(results: Readonly<Record<string, unknown>>): ThreadSummary[] {
  const threads = results.threads;
  return Array.isArray(threads) ? threads.filter(isThreadSummary) : [];
}
