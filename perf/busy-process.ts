import { spawn, type ChildProcess } from 'node:child_process';

/**
 * The competing load: a node process that spins on one core. It writes one byte once it
 * runs, so the measurement starts only when the competition is really there, and it exits
 * by itself when its parent is gone (its ppid changes): a bench killed by a signal, which
 * runs no `finally`, leaves no spinner behind.
 */
const SPINNER =
  'const p = process.ppid; process.stdout.write("1"); ' +
  'for (let i = 1; ; i++) if ((i & 0xffffff) === 0 && process.ppid !== p) process.exit(0);';

/** Children alive now: killed on process exit too, for paths that skip `finally`. */
const alive = new Set<ChildProcess>();
process.on('exit', () => {
  for (const c of alive) c.kill('SIGKILL');
});

/** Kills `child` and waits until it has exited (it must not spin into the next sample). */
async function stop(child: ChildProcess): Promise<void> {
  // No pid: the spawn itself failed, there is nothing to kill.
  if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill('SIGKILL');
    await exited;
  }
  alive.delete(child);
}

/**
 * Runs `fn` while one busy process competes for the cores, and kills it afterwards,
 * whether `fn` resolves or throws.
 */
export async function withBusyProcess<T>(fn: () => Promise<T>): Promise<T> {
  const child = spawn(process.execPath, ['-e', SPINNER], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  alive.add(child);
  try {
    await new Promise<void>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code, signal) =>
        reject(new Error(`busy process exited early (${signal ?? code})`)),
      );
      child.stdout.once('data', () => resolve());
    });
    return await fn();
  } finally {
    await stop(child);
  }
}
