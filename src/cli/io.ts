/** Where commands write: `out` is the result (stdout), `err` is diagnostics (stderr). */
export interface Output {
  /** Writes text to stdout as is. */
  out(text: string): void;
  /** Writes text to stderr as is. */
  err(text: string): void;
  /** Line width for wrapped text. */
  width: number;
  /** Whether stderr is a terminal (progress redraws one line there). */
  errTTY: boolean;
}

/** The process's Output, and whether what went to stdout really got there. */
export interface ProcessOutput extends Output {
  /**
   * Settles once every stdout write has completed or failed.
   * @returns the first write error other than EPIPE (already reported on stderr), or null
   */
  flushed(): Promise<Error | null>;
}

/**
 * The process's stdout and stderr. A reader that goes away (`dmasim run ... | head`) is not
 * an error of the run: further output is dropped instead of crashing on EPIPE. Any other
 * write error (a full disk) means the result was lost: it is reported on stderr and
 * flushed() returns it, so that the exit code can say so.
 */
export function processOutput(): ProcessOutput {
  let stdoutOpen = true;
  let stderrOpen = true;
  let failure: Error | null = null;
  let pending = 0;
  let settled: (() => void) | null = null;
  const stdoutFailed = (e: NodeJS.ErrnoException): void => {
    if (!stdoutOpen) return;
    stdoutOpen = false;
    if (e.code === 'EPIPE') return;
    failure = e;
    if (stderrOpen)
      process.stderr.write(`dmasim: could not write the output to stdout: ${e.message}\n`);
  };
  // A failed write calls its callback first, then the stream emits 'error' (once).
  process.stdout.on('error', stdoutFailed);
  process.stderr.on('error', () => {
    stderrOpen = false;
  });
  const columns = process.stdout.isTTY ? process.stdout.columns : undefined;
  return {
    out(text) {
      if (!stdoutOpen) return;
      pending++;
      process.stdout.write(text, (e) => {
        if (e) stdoutFailed(e);
        if (--pending === 0) settled?.();
      });
    },
    err(text) {
      if (stderrOpen) process.stderr.write(text);
    },
    width: Math.max(60, Math.min(100, columns ?? 100)),
    errTTY: process.stderr.isTTY === true,
    flushed() {
      return new Promise((resolve) => {
        if (pending === 0) resolve(failure);
        else settled = () => resolve(failure);
      });
    },
  };
}
