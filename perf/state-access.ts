// Declared shared state against a raw typed array: the same loop, both ways, in one thread.
// A declared field is a word of the arena reached through its instance (base + offset from
// the struct); the raw way indexes an Int32Array at a constant. `node dist/perf/state-access.js`
// runs it alone; `npm run bench` includes it.
import { pathToFileURL } from 'node:url';
import { prepare } from '../src/host/prepare.js';
import { stateOf } from '../src/kernel/state.js';
import { TORTURE } from '../src/clients/locktorture/torture.js';
import { measure, type Figure } from './measure.js';
import type { FigureSink } from './schedule-bench.js';

const OPS = 4_000_000;

/** ns per operation of `loop(n)` (which returns a value, so the work is not dropped). */
function nsPerOp(loop: (n: number) => number): number {
  const t0 = performance.now();
  const sink = loop(OPS);
  const ns = ((performance.now() - t0) * 1e6) / OPS;
  if (sink === -1) console.log(sink);
  return ns;
}

/** The four loops, over one declared counter and one raw word of its own buffer. */
function loops(): Record<string, (n: number) => number> {
  const { machine } = prepare('locktorture', { writers: 1 });
  const t = stateOf(machine, TORTURE).at(0);
  const raw = new Int32Array(new SharedArrayBuffer(64));
  return {
    raw: (n) => {
      for (let i = 0; i < n; i++) raw[3] = raw[3]! + 1;
      return raw[3]!;
    },
    declared: (n) => {
      for (let i = 0; i < n; i++) t.set('counter', t.get('counter') + 1);
      return t.get('counter');
    },
    hoisted: (n) => {
      const w = t.words;
      const j = t.i('counter');
      for (let i = 0; i < n; i++) w[j] = w[j]! + 1;
      return w[j]!;
    },
    rawAtomic: (n) => {
      for (let i = 0; i < n; i++) Atomics.add(raw, 3, 1);
      return raw[3]!;
    },
    declaredAtomic: (n) => {
      for (let i = 0; i < n; i++) t.add('counter', 1);
      return t.get('counter');
    },
  };
}

/** Medians of each way and their ratios, into `out`. */
export async function benchStateAccess(out: FigureSink, reps: number): Promise<void> {
  const l = loops();
  const fig = (f: (n: number) => number): Promise<Figure> =>
    measure('ns', reps, 1, () => Promise.resolve(nsPerOp(f)));
  out.log('declared shared state (stateOf(...).at(i) helpers) vs a raw Int32Array, one thread:');
  const raw = await fig(l.raw!);
  out.add('state_plain_raw_ns', '  raw w[i] = w[i] + 1 (baseline)', raw);
  const declared = await fig(l.declared!);
  out.add('state_plain_declared_ns', "  declared t.set('f', t.get('f') + 1)", declared);
  out.add('state_plain_ratio', '  declared / raw', ratio(declared, raw));
  const hoisted = await fig(l.hoisted!);
  out.add(
    'state_plain_hoisted_ns',
    "  declared, index hoisted: w[j] = w[j] + 1, j = t.i('f')",
    hoisted,
  );
  out.add('state_plain_hoisted_ratio', '  hoisted / raw', ratio(hoisted, raw));
  const rawAtomic = await fig(l.rawAtomic!);
  out.add('state_atomic_raw_ns', '  raw Atomics.add(w, i, 1) (baseline)', rawAtomic);
  const declaredAtomic = await fig(l.declaredAtomic!);
  out.add('state_atomic_declared_ns', "  declared t.add('f', 1)", declaredAtomic);
  out.add('state_atomic_ratio', '  declared / raw', ratio(declaredAtomic, rawAtomic));
}

function ratio(a: Figure, b: Figure): Figure {
  return { value: a.value / b.value, unit: 'x', samples: [] };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const show = (f: Figure): string => f.value.toFixed(2);
  await benchStateAccess(
    {
      add: (_name, label, f) =>
        console.log(`${label.padEnd(58)} ${show(f).padStart(10)} ${f.unit}`),
      log: (line) => console.log(line),
    },
    5,
  );
}
