import { DmasimError } from '../errors.js';

/** How a parameter's value is read and checked. */
export type ParamKind = 'uint' | 'int' | 'number' | 'bool' | 'string' | 'choice';

/** One parameter of a scenario or of every run: its flag, type, default and help. */
export interface ParamDef {
  /** Key in the options object (camelCase). */
  key: string;
  /** CLI flag without dashes (kebab-case). */
  flag: string;
  kind: ParamKind;
  default: number | boolean | string | undefined;
  help: string;
  min?: number;
  max?: number;
  choices?: readonly string[];
}

function expected(def: ParamDef): string {
  switch (def.kind) {
    case 'uint':
      return `an integer >= ${def.min ?? 0}${def.max !== undefined ? ` and <= ${def.max}` : ''}`;
    case 'int':
      return `an integer${def.min !== undefined ? ` >= ${def.min}` : ''}${def.max !== undefined ? ` and <= ${def.max}` : ''}`;
    case 'number':
      return `a number${def.min !== undefined ? ` >= ${def.min}` : ''}${def.max !== undefined ? ` and <= ${def.max}` : ''}`;
    case 'bool':
      return 'true/false, 1/0 or no value';
    case 'string':
      return 'a string';
    case 'choice':
      return `one of ${(def.choices ?? []).join(', ')}`;
    default: {
      const never: never = def.kind;
      return never;
    }
  }
}

function bad(def: ParamDef, value: unknown): DmasimError {
  return new DmasimError(
    'DMASIM_BAD_OPTION',
    `--${def.flag}: got ${JSON.stringify(value)}, expected ${expected(def)}`,
  );
}

/**
 * Converts and checks one value (a CLI string or a typed value from code).
 * @throws DmasimError DMASIM_BAD_OPTION naming the flag and what it expected
 */
export function parseParam(def: ParamDef, raw: unknown): number | boolean | string {
  switch (def.kind) {
    case 'bool': {
      if (typeof raw === 'boolean') return raw;
      if (raw === 'true' || raw === '1' || raw === 1 || raw === '') return true;
      if (raw === 'false' || raw === '0' || raw === 0) return false;
      throw bad(def, raw);
    }
    case 'string':
      if (typeof raw !== 'string') throw bad(def, raw);
      return raw;
    case 'choice':
      if (typeof raw !== 'string' || !(def.choices ?? []).includes(raw)) throw bad(def, raw);
      return raw;
    case 'uint':
    case 'int':
    case 'number': {
      const n =
        typeof raw === 'number'
          ? raw
          : typeof raw === 'string' && raw.trim() !== ''
            ? Number(raw)
            : NaN;
      if (!Number.isFinite(n)) throw bad(def, raw);
      if (def.kind !== 'number' && !Number.isInteger(n)) throw bad(def, raw);
      const min = def.min ?? (def.kind === 'uint' ? 0 : -Infinity);
      if (n < min || (def.max !== undefined && n > def.max)) throw bad(def, raw);
      return n;
    }
    default: {
      const never: never = def.kind;
      return never;
    }
  }
}

/**
 * Resolves a whole options object against `defs`: defaults filled in, every value checked,
 * unknown keys refused.
 * @throws DmasimError DMASIM_BAD_OPTION
 */
export function resolveParams(
  defs: readonly ParamDef[],
  input: Record<string, unknown>,
): Record<string, unknown> {
  const known = new Map(defs.map((d) => [d.key, d]));
  for (const key of Object.keys(input)) {
    if (!known.has(key) && input[key] !== undefined) {
      const flag = key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
      throw new DmasimError(
        'DMASIM_BAD_OPTION',
        `--${flag}: unknown option (see --help for the options of this scenario)`,
      );
    }
  }
  const out: Record<string, unknown> = {};
  for (const def of defs) {
    const raw = input[def.key];
    out[def.key] = raw === undefined ? def.default : parseParam(def, raw);
  }
  return out;
}
