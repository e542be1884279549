import { describe, expect, it } from 'vitest';
import { DmasimError, defineProvider, defineScenario, type RunOptions } from '../../src/index.js';

const opts = {} as RunOptions;

describe('defineScenario', () => {
  it('fills the defaults of a minimal scenario', async () => {
    const s = defineScenario({ name: 'mini', cpuProgram: (cpu) => cpu });
    expect({ summary: s.summary, params: s.params, defaults: s.defaults }).toEqual({
      summary: '',
      params: [],
      defaults: {},
    });
    const plan = s.plan(opts, {}, []);
    expect({ cpus: plan.cpus, arenaBytes: plan.arenaBytes, irq: plan.irqCpu(3, 'x') }).toEqual({
      cpus: 1,
      arenaBytes: 1 << 20,
      irq: 0,
    });
    expect(s.collect([1, 2])).toEqual({ cpus: [1, 2] });
    expect(typeof s.checkers).toBe('function');
    const checkers = await (s.checkers as () => Promise<readonly unknown[]>)();
    expect(checkers).toHaveLength(4);
    expect(s.module).toBeUndefined();
  });

  it('keeps what the spec gives and completes a partial plan', () => {
    const s = defineScenario({
      name: 'own',
      params: [{ key: 'n', flag: 'n', kind: 'uint', default: 2, help: 'n' }],
      plan: (_o, p) => ({ cpus: p.n }),
      cpuProgram: (_cpu, _o, p): number => p.n + 1,
      collect: (r) => ({ r }),
      checkers: [],
    });
    expect(s.plan(opts, { n: 3 }, []).cpus).toBe(3);
    expect(s.plan(opts, { n: 3 }, []).arenaBytes).toBe(1 << 20);
    expect(s.cpuProgram(0, opts, { n: 4 })).toBe(5);
    expect(s.collect([1])).toEqual({ r: [1] });
    expect(s.checkers).toEqual([]);
  });

  it.each([
    [
      { cpuProgram: (): number => 0 },
      "defineScenario()'s argument's 'name' must be a non-empty string (got undefined)",
    ],
    [{ name: 'x' }, "defineScenario('x')'s 'cpuProgram' must be a function (got undefined)"],
    [
      { name: 'x', cpuProgram: (): number => 0, plan: 3 },
      "defineScenario('x')'s 'plan' must be a function or absent (got number)",
    ],
    [
      { name: 'x', cpuProgram: (): number => 0, params: 'n' },
      "defineScenario('x')'s 'params' must be an array of ParamDef (got string)",
    ],
  ])('refuses %j with DMASIM_BAD_OPTION naming the member', (spec, message) => {
    const err = (() => {
      try {
        defineScenario(spec as never);
        return null;
      } catch (e) {
        return e as DmasimError;
      }
    })();
    expect({ code: err?.code, message: err?.message }).toEqual({
      code: 'DMASIM_BAD_OPTION',
      message,
    });
  });
});

describe('defineProvider', () => {
  it('defaults summary and options and takes its module from the caller', () => {
    const p = defineProvider({ name: 'mine', probe: () => ({}) as never });
    expect({ summary: p.summary, options: p.options, module: p.module }).toEqual({
      summary: '',
      options: [],
      module: import.meta.url,
    });
  });

  it('refuses a provider without probe, naming it', () => {
    expect(() => defineProvider({ name: 'mine' } as never)).toThrow(
      new DmasimError(
        'DMASIM_BAD_OPTION',
        "defineProvider('mine')'s 'probe' must be a function (got undefined)",
      ),
    );
  });
});
