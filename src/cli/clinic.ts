import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DmasimError, type ParamDef, type ProfileTool } from '../index.js';

/** The clinic.js tools `dmasim profile` drives. */
export type ClinicTool = Exclude<ProfileTool, 'cpu'>;

/** A command to spawn: clinic on `node <cli> run ...`. */
export interface ClinicInvocation {
  command: string;
  args: string[];
  /** Added to the environment. */
  env: Record<string, string>;
}

/** What came out of a clinic run. */
export interface ClinicOutcome {
  /** clinic's own exit code (not the run's: clinic does not pass that on). */
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The HTML report, if clinic wrote one. */
  html: string | null;
  /** The profiled run's `--json` output, if it printed one. */
  result: unknown;
}

/**
 * Where clinic's command-line script is, or null when clinic is not installed (it is a
 * development dependency: a production install has none).
 * @param from where module resolution starts (a file URL or path)
 */
export function clinicBin(from: string = import.meta.url): string | null {
  let pkgPath: string;
  try {
    pkgPath = createRequire(from).resolve('clinic/package.json');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND') return null;
    throw err;
  }
  const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as {
    bin?: string | Record<string, string>;
  };
  const bin = typeof pkg.bin === 'string' ? pkg.bin : pkg.bin?.clinic;
  return bin === undefined ? null : join(dirname(pkgPath), bin);
}

/** The error for a clinic tool asked for where clinic is not installed. */
export function clinicMissing(tool: ClinicTool): DmasimError {
  return new DmasimError(
    'DMASIM_BAD_OPTION',
    `--tool ${tool}: clinic.js is not installed (it is a development dependency of dmasim): ` +
      "run 'npm install' in a dmasim checkout, or 'npm install --no-save clinic@13' next to " +
      'this install; --tool cpu needs nothing more',
  );
}

/** CLI flags that give `options` (raw CLI values or typed values) back to `dmasim run`. */
export function runFlags(options: Record<string, unknown>, defs: readonly ParamDef[]): string[] {
  const flags: string[] = [];
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined) continue;
    const def = defs.find((d) => d.key === key);
    if (!def) throw new DmasimError('DMASIM_BAD_OPTION', `${key}: unknown option`);
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    // `--flag=value` keeps a value that starts with '-' a value.
    flags.push(def.kind === 'bool' && text === '' ? `--${def.flag}` : `--${def.flag}=${text}`);
  }
  return flags;
}

/**
 * The command line that runs `dmasim run <scenario> --json` under a clinic tool, the way
 * clinic runs unattended: NO_INSIGHT (without it clinic silently does nothing when stdout
 * is not a terminal), no update check, no browser. Pure.
 * @param node the node binary; clinic accepts only a command whose name is `node`
 */
export function clinicCommandLine(o: {
  tool: ClinicTool;
  bin: string;
  dest: string;
  cli: string;
  scenario: string;
  flags: readonly string[];
  node?: string;
}): ClinicInvocation {
  const node = o.node ?? nodeCommand();
  return {
    command: node,
    args: [
      o.bin,
      o.tool,
      '--open=false',
      '--dest',
      o.dest,
      '--',
      node,
      o.cli,
      'run',
      o.scenario,
      ...o.flags,
      '--json',
    ],
    env: { NO_INSIGHT: '1', NO_UPDATE_NOTIFIER: '1' },
  };
}

/** This process's node, if clinic would accept its name; else `node` from the PATH. */
function nodeCommand(): string {
  return /^node(\.exe)?$/.test(basename(process.execPath)) ? process.execPath : 'node';
}

/**
 * Spawns the invocation. The run's `--json` block is taken out of clinic's stdout (clinic
 * prints its own lines before the run starts and after it ends); every other line goes to
 * `progress`, and stderr to `diagnostics`, as they come.
 */
export function runClinic(
  inv: ClinicInvocation,
  progress: (line: string) => void,
  diagnostics: (text: string) => void,
): Promise<ClinicOutcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(inv.command, inv.args, {
      env: { ...process.env, ...inv.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out = new StdoutReader(progress);
    child.stdout.setEncoding('utf8').on('data', (s: string) => out.push(s));
    child.stderr.setEncoding('utf8').on('data', diagnostics);
    child.once('error', reject);
    child.once('close', (code, signal) => {
      out.end();
      resolve({ code, signal, html: out.html, result: out.result });
    });
  });
}

/** clinic's stdout, line by line: the run's JSON object, the report's path, the rest. */
class StdoutReader {
  html: string | null = null;
  result: unknown = null;
  private partial = '';
  private json: string[] | null = null;

  constructor(private readonly progress: (line: string) => void) {}

  push(chunk: string): void {
    const lines = (this.partial + chunk).split('\n');
    this.partial = lines.pop()!;
    for (const line of lines) this.line(line);
  }

  end(): void {
    if (this.partial !== '') this.line(this.partial);
    this.partial = '';
    if (this.json) for (const l of this.json) this.progress(l);
    this.json = null;
  }

  private line(line: string): void {
    // `run --json` prints one object indented by 2: only its first and last lines are bare braces.
    if (this.json) {
      this.json.push(line);
      if (line === '}') {
        const block = this.json;
        this.json = null;
        try {
          this.result = JSON.parse(block.join('\n'));
        } catch (err) {
          // Not the run's result after all: it is output like any other.
          void err;
          for (const l of block) this.progress(l);
        }
      }
      return;
    }
    if (line === '{') {
      this.json = [line];
      return;
    }
    const report = /^Generated HTML file is (file:\S+)/.exec(line);
    if (report) this.html = fileURLToPath(report[1]!);
    this.progress(line);
  }
}
