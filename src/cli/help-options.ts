import type { ParamDef, Scenario } from '../index.js';

/** Help rows of the output switches. */
export const OUTPUT_ROWS = {
  json: ['--json', 'print the result as one JSON object on stdout and nothing else'],
  quiet: ['-q, --quiet', 'omit the kernel log (dmesg) and print only the summary'],
} as const;

/** How option values are written, for the end of a run help; bools only if `defs` has one. */
export function valueSyntax(defs: readonly ParamDef[]): string {
  const values = 'Options take --flag value or --flag=value.';
  if (!defs.some((d) => d.kind === 'bool')) return values;
  return `${values} A bool flag stands alone (--polled), takes =true/false/1/0, or is negated as --no-flag.`;
}

function placeholder(def: ParamDef): string {
  switch (def.kind) {
    case 'uint':
      return ' <n>';
    case 'int':
      return ' <int>';
    case 'number':
      return ' <x>';
    case 'string':
      return ' <text>';
    case 'choice':
      return ` <${(def.choices ?? []).join('|')}>`;
    case 'bool':
      return '[=bool]';
    default: {
      const never: never = def.kind;
      return never;
    }
  }
}

function showValue(v: unknown): string {
  return v === '' ? 'empty' : String(v);
}

function range(def: ParamDef): string {
  if (def.kind !== 'uint' && def.kind !== 'int' && def.kind !== 'number') return '';
  const { min, max } = def;
  if (min !== undefined && max !== undefined) return `, ${min}..${max}`;
  if (max !== undefined) return `, <= ${max}`;
  if (min !== undefined && (def.kind !== 'uint' || min > 0)) return `, >= ${min}`;
  return '';
}

/** The default a scenario gives a run option, worded as the library applies it. */
function defaultText(def: ParamDef, scenario: Scenario | undefined): string {
  const own: unknown = scenario?.defaults[def.key as keyof Scenario['defaults']];
  if (own === undefined) return `default: ${showValue(def.default)}`;
  // The library drops a scenario's preferred duration/iterations once either is given.
  const other = def.key === 'duration' ? 'iterations' : def.key === 'iterations' ? 'duration' : '';
  if (other === '') return `default for ${scenario!.name}: ${showValue(own)}`;
  return `default for ${scenario!.name}: ${showValue(own)}, or ${showValue(def.default)} with --${other}`;
}

/** Help rows of parameter definitions: flag and value syntax, help, default and range. */
export function optionRows(
  defs: readonly ParamDef[],
  scenario?: Scenario,
): (readonly [string, string])[] {
  return defs.map((d) => [
    `--${d.flag}${placeholder(d)}`,
    `${d.help} [${defaultText(d, scenario)}${range(d)}]`,
  ]);
}
