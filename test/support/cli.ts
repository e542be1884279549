import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The built CLI: the tests run it as a user would (`npm run build` first). */
export const cliPath = fileURLToPath(new URL('../../dist/src/cli/main.js', import.meta.url));

/** What one CLI process did. */
export interface Ran {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `dmasim ...args` in `cwd` to its end (at most `timeout` ms). */
export function runCli(cwd: string, args: readonly string[], timeout = 30_000): Ran {
  const r = spawnSync(process.execPath, [cliPath, ...args], { encoding: 'utf8', timeout, cwd });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
