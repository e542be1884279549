import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DmasimError,
  replay,
  runScenario,
  shutdownActorPool,
  startRun,
  type RunResult,
} from '../../src/index.js';
import { thrown } from '../support/thrown.js';

/** One trace-event record as a viewer reads it. */
interface Rec {
  ph: string;
  pid?: number;
  tid?: number;
  ts?: number;
  name?: string;
  cat?: string;
  id?: number;
  args?: Record<string, unknown>;
}

const dir = mkdtempSync(join(tmpdir(), 'dmasim-outputs-'));

afterAll(async () => {
  await shutdownActorPool();
  rmSync(dir, { recursive: true, force: true });
});

// Controlled (config-race's default), so every run here is the same run: lockdep on, two
// CPUs sharing a channel, callbacks in softirq on cpu0, and the config race found.
const race = { api: 'unsafe', iterations: 2, deadline: 20_000 };

function readTrace(path: string): Rec[] {
  const parsed = JSON.parse(readFileSync(path, 'utf8')) as { traceEvents: Rec[] };
  expect(Array.isArray(parsed.traceEvents)).toBe(true);
  return parsed.traceEvents;
}

describe('--trace and --events-out', () => {
  let result: RunResult;
  let recs: Rec[];
  const trace = join(dir, 'race.trace.json');
  const eventsOut = join(dir, 'race.jsonl');

  beforeAll(async () => {
    result = await runScenario('config-race', { ...race, trace, eventsOut });
    recs = readTrace(trace);
  });

  it('runs as without them, recording every event', () => {
    expect(result.exitCode).toBe(1);
    expect(result.violationCounts).toHaveProperty('config-prep-mismatch');
    expect(result.options).toMatchObject({ events: 'all', trace, eventsOut });
    expect(result.outputError).toBeUndefined();
    expect(result.stats.eventsLost).toBe(0);
  });

  it('names a thread for every actor, in one process', () => {
    const names = recs.filter((r) => r.ph === 'M' && r.name === 'thread_name');
    expect(names.map((r) => [r.tid, r.args?.name])).toEqual([
      [1, 'cpu0'],
      [2, 'cpu1'],
      [3, 'dma0'],
    ]);
    expect(new Set(recs.map((r) => r.pid))).toEqual(new Set([1]));
  });

  it('has slices for process context, hardirq, softirq, API calls, lock holds, callbacks and transfers', () => {
    const cats = new Set(recs.filter((r) => r.ph === 'B').map((r) => r.cat));
    expect([...cats].sort()).toEqual(
      ['api', 'callback', 'hardirq', 'hw', 'lock', 'process', 'softirq'].sort(),
    );
    const locks = new Set(recs.filter((r) => r.ph === 'B' && r.cat === 'lock').map((r) => r.name));
    expect(locks).toContain('&vc->lock');
    const callbacks = recs.filter((r) => r.ph === 'B' && r.cat === 'callback');
    expect(callbacks.length).toBe(result.stats.callbacks);
  });

  it('nests the slices of every thread: each end closes a begin of its own thread', () => {
    const open = new Map<number, number>();
    for (const r of recs) {
      if (r.ph === 'B') open.set(r.tid!, (open.get(r.tid!) ?? 0) + 1);
      if (r.ph === 'E') {
        const n = open.get(r.tid!) ?? 0;
        expect(n).toBeGreaterThan(0);
        open.set(r.tid!, n - 1);
      }
    }
    expect([...open.values()].every((n) => n === 0)).toBe(true);
  });

  it('follows each descriptor from submit on a CPU through the engine to its callback', () => {
    const flows = new Map<number, Rec[]>();
    for (const r of recs.filter((x) => 'stf'.includes(x.ph) && x.cat === 'dma'))
      flows.set(r.id!, [...(flows.get(r.id!) ?? []), r]);
    const complete = [...flows.values()].filter((f) => f.at(-1)!.ph === 'f');
    expect(complete.length).toBe(result.stats.callbacks);
    for (const f of complete) {
      expect(f.map((r) => r.ph)).toEqual(['s', 't', 't', 'f']);
      expect(f.map((r) => r.tid)).toEqual([f[0]!.tid, 3, 3, f[3]!.tid]);
      expect(f[0]!.tid).not.toBe(3);
    }
  });

  it('marks every violation as an instant', () => {
    const found = recs.filter((r) => r.ph === 'i' && r.cat === 'violation');
    const total = Object.values(result.violationCounts).reduce((a, b) => a + b, 0);
    expect(found.length).toBe(total);
    expect(new Set(found.map((r) => r.name))).toEqual(new Set(Object.keys(result.violationCounts)));
  });

  it("marks every handoff of the controlled schedule's token between actors", () => {
    const switches = recs.filter((r) => r.ph === 'i' && r.name === 'sched_switch');
    // The host hands the first token; every other handoff is an actor's.
    expect(switches.length).toBe(result.schedule.switches - 1);
    expect(recs.filter((r) => r.ph === 'C' && r.name === 'token').length).toBe(
      result.schedule.switches,
    );
  });

  it('writes every event as one JSON object per line, in sequence order', () => {
    const lines = readFileSync(eventsOut, 'utf8').split('\n');
    expect(lines.pop()).toBe('');
    expect(lines.length).toBe(result.stats.events);
    const events = lines.map((l) => JSON.parse(l) as { seq: number; kind: string });
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i));
    expect(events.some((e) => e.kind === 'api.entry')).toBe(true);
  });

  it('writes them again for a replay of the run', async () => {
    const file = join(dir, 'race.replay.json');
    await runScenario('config-race', { ...race, replayOut: file });
    const again = join(dir, 'replay.trace.json');

    const out = await replay(file, { trace: again });

    expect(out.reproduced).toBe(true);
    expect(readTrace(again).filter((r) => r.cat === 'violation').length).toBeGreaterThan(0);
  });
});

describe('output files that cannot be written', () => {
  it('refuses a path in a missing directory before the run starts', () => {
    const err = thrown(() =>
      startRun('config-race', { ...race, trace: join(dir, 'no', 't.json') }),
    );

    expect(err).toBeInstanceOf(DmasimError);
    expect((err as DmasimError).code).toBe('DMASIM_BAD_OPTION');
  });

  it('refuses --trace and --events-out naming the same file', () => {
    const path = join(dir, 'same.json');

    const err = thrown(() => startRun('config-race', { ...race, trace: path, eventsOut: path }));

    expect((err as DmasimError).code).toBe('DMASIM_BAD_OPTION');
    expect(existsSync(path)).toBe(false);
  });

  it.runIf(existsSync('/dev/full'))(
    'keeps the run and says which file it could not write (a full disk)',
    async () => {
      const r = await runScenario('config-race', { ...race, eventsOut: '/dev/full' });

      expect(r.exitCode).toBe(1);
      expect(r.outputError).toMatch(/^could not write \/dev\/full: /);
    },
  );
});
