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

/**
 * The process's stdout and stderr. A reader that goes away (`dmasim run ... | head`) is not
 * an error of the run: further output is dropped instead of crashing on EPIPE.
 */
export function processOutput(): Output {
  let stdoutOpen = true;
  let stderrOpen = true;
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    stdoutOpen = false;
    if (e.code !== 'EPIPE' && stderrOpen) process.stderr.write(`dmasim: stdout: ${e.message}\n`);
  });
  process.stderr.on('error', () => {
    stderrOpen = false;
  });
  const columns = process.stdout.isTTY ? process.stdout.columns : undefined;
  return {
    out(text) {
      if (stdoutOpen) process.stdout.write(text);
    },
    err(text) {
      if (stderrOpen) process.stderr.write(text);
    },
    width: Math.max(60, Math.min(100, columns ?? 100)),
    errTTY: process.stderr.isTTY === true,
  };
}
