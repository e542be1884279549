import { readFileSync, writeFileSync } from 'node:fs';
import { DmasimError } from '../errors.js';
import {
  SCHED_MODES,
  STRATEGIES,
  type SchedModeName,
  type StrategyName,
} from '../shm/sched-struct.js';

/** The replay file format this build writes and reads. */
export const REPLAY_FORMAT = 1;

/**
 * A failing run, enough to run it again: JSON. A controlled run keeps its decision list
 * (the entity picked at each real choice); a free or chaos run keeps the points each actor
 * passed with their place in the global order, which replay enforces under the controlled
 * scheduler. `codeHash` is the hash of the code that decides the schedule.
 */
export interface ReplayFile {
  dmasim: string;
  format: number;
  scenario: { name: string; module?: string; moduleHash?: string };
  /** The resolved run options and scenario parameters of the run. */
  options: Record<string, unknown>;
  mode: SchedModeName;
  seed: number;
  strategy: { name: StrategyName; pctDepth: number; pctSteps: number } | null;
  codeHash: string;
  /** Controlled: base64 of the Uint16 decision list (little-endian), and its length. */
  decisions?: string;
  decisionCount?: number;
  /** Controlled: the real choice at which the schedule stopped the clients, if it did. */
  stopAt?: number;
  /** Controlled: the run made more choices than the log holds (a replay is exact only so far). */
  truncated?: boolean;
  /** Free or chaos: per actor, base64 of its Int32 (seq, label) pairs. */
  points?: string[];
  /** The violations the run found, one per kind (kind and message). */
  violations: { kind: string; message: string }[];
}

/** base64 of a typed array's bytes. */
export function toBase64(a: Uint16Array | Int32Array): string {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
}

/** Decodes base64 `s` into a fresh array of `ctor`. */
export function fromBase64<T extends Uint16Array | Int32Array>(
  s: string,
  ctor: { new (b: ArrayBuffer): T; BYTES_PER_ELEMENT: number },
): T {
  const b = Buffer.from(s, 'base64');
  const copy = new ArrayBuffer(b.byteLength - (b.byteLength % ctor.BYTES_PER_ELEMENT));
  new Uint8Array(copy).set(b.subarray(0, copy.byteLength));
  return new ctor(copy);
}

/** Writes `file` as JSON to `path`. */
export function writeReplayFile(path: string, file: ReplayFile): void {
  writeFileSync(path, `${JSON.stringify(file)}\n`);
}

function bad(path: string, what: string): DmasimError {
  return new DmasimError('DMASIM_BAD_REPLAY', `${path}: ${what}`);
}

/**
 * Reads and checks a replay file.
 * @throws DmasimError DMASIM_BAD_REPLAY naming the file and what is wrong with it
 */
export function readReplayFile(path: string): ReplayFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw bad(path, `cannot read the replay file (${(err as Error).message})`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw bad(path, `not a replay file: its JSON does not parse (${(err as Error).message})`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw bad(path, 'not a replay file: expected a JSON object');
  }
  const f = raw as Record<string, unknown>;
  const need = (key: string, ok: boolean, expected: string): void => {
    if (!ok)
      throw bad(
        path,
        `field '${key}': expected ${expected}, got ${JSON.stringify(f[key]) ?? 'nothing'}`,
      );
  };
  need('format', f.format === REPLAY_FORMAT, `${REPLAY_FORMAT} (the format this build reads)`);
  need('dmasim', typeof f.dmasim === 'string', 'the dmasim version that wrote it');
  const sc = f.scenario as Record<string, unknown> | undefined;
  need(
    'scenario',
    typeof sc === 'object' && sc !== null && typeof sc.name === 'string',
    '{ name, module? }',
  );
  need(
    'options',
    typeof f.options === 'object' && f.options !== null && !Array.isArray(f.options),
    'an object',
  );
  need('mode', SCHED_MODES.includes(f.mode as SchedModeName), SCHED_MODES.join(' | '));
  need('seed', Number.isInteger(f.seed), 'an integer');
  need('codeHash', typeof f.codeHash === 'string', 'a string');
  need('violations', Array.isArray(f.violations), 'an array');
  const base64 = (s: unknown): boolean =>
    typeof s === 'string' && s.length % 4 === 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(s);
  if (f.mode === 'controlled') {
    const st = f.strategy as Record<string, unknown> | null;
    need(
      'strategy',
      typeof st === 'object' && st !== null && STRATEGIES.includes(st.name as StrategyName),
      `{ name: ${STRATEGIES.join(' | ')} }`,
    );
    need('decisions', base64(f.decisions), 'base64 of the decision list');
  } else {
    need(
      'points',
      Array.isArray(f.points) && f.points.every(base64),
      'an array of base64 strings, one per actor',
    );
  }
  return raw as ReplayFile;
}
