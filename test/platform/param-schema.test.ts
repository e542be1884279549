import { describe, it, expect } from 'vitest';
import { thrown } from '../support/thrown.js';
import { parseParam, resolveParams, type ParamDef } from '../../src/platform/param-schema.js';
import { RUN_OPTION_DEFS } from '../../src/scenarios/run-options.js';
import { DmasimError } from '../../src/errors.js';

/** Asserts a DMASIM_BAD_OPTION error whose message starts with `--<flag>:`. */
function expectBadOption(err: unknown, flag: string): void {
  expect(err).toBeInstanceOf(DmasimError);
  expect((err as DmasimError).code).toBe('DMASIM_BAD_OPTION');
  expect((err as DmasimError).message.startsWith(`--${flag}:`)).toBe(true);
}

const def = (over: Partial<ParamDef> & Pick<ParamDef, 'kind'>): ParamDef => ({
  key: 'someValue',
  flag: 'some-value',
  default: undefined,
  help: 'test parameter',
  ...over,
});

const UINT = def({ kind: 'uint' });
const UINT_RANGE = def({ kind: 'uint', min: 2, max: 10 });
const INT = def({ kind: 'int' });
const INT_RANGE = def({ kind: 'int', min: -5, max: 5 });
const NUMBER = def({ kind: 'number', min: 0, max: 1 });
const BOOL = def({ kind: 'bool' });
const STRING = def({ kind: 'string' });
const CHOICE = def({ kind: 'choice', choices: ['red', 'green'] });

describe('parseParam', () => {
  it.each<[string, ParamDef, unknown, number | boolean | string]>([
    ['uint', UINT, '0', 0],
    ['uint', UINT, '42', 42],
    ['uint', UINT, 42, 42],
    ['uint', UINT, ' 7 ', 7],
    ['uint', UINT, 4294967295, 4294967295],
    ['uint range', UINT_RANGE, '2', 2],
    ['uint range', UINT_RANGE, 10, 10],
    ['int', INT, '-3', -3],
    ['int', INT, -2147483648, -2147483648],
    ['int range', INT_RANGE, '-5', -5],
    ['int range', INT_RANGE, '5', 5],
    ['number', NUMBER, '0.25', 0.25],
    ['number', NUMBER, 0, 0],
    ['number', NUMBER, '1', 1],
    ['bool', BOOL, true, true],
    ['bool', BOOL, false, false],
    ['bool', BOOL, 'true', true],
    ['bool', BOOL, '1', true],
    ['bool', BOOL, 1, true],
    ['bool', BOOL, '', true],
    ['bool', BOOL, 'false', false],
    ['bool', BOOL, '0', false],
    ['bool', BOOL, 0, false],
    ['string', STRING, 'dma0chan1', 'dma0chan1'],
    ['string', STRING, '', ''],
    ['choice', CHOICE, 'red', 'red'],
    ['choice', CHOICE, 'green', 'green'],
  ])('%s accepts %j as %j', (_kind, d, raw, value) => {
    expect(parseParam(d, raw)).toBe(value);
  });

  it.each<[string, ParamDef, unknown]>([
    ['uint', UINT, '-1'],
    ['uint', UINT, -1],
    ['uint', UINT, '1.5'],
    ['uint', UINT, 'abc'],
    ['uint', UINT, ''],
    ['uint', UINT, '   '],
    ['uint', UINT, NaN],
    ['uint', UINT, Infinity],
    ['uint', UINT, true],
    ['uint', UINT, null],
    ['uint', UINT, [3]],
    ['uint range', UINT_RANGE, '1'],
    ['uint range', UINT_RANGE, 11],
    ['int', INT, '2.5'],
    ['int', INT, 'x'],
    ['int', INT, -Infinity],
    ['int range', INT_RANGE, -6],
    ['int range', INT_RANGE, '6'],
    ['number', NUMBER, '-0.01'],
    ['number', NUMBER, 1.01],
    ['number', NUMBER, 'half'],
    ['number', NUMBER, NaN],
    ['bool', BOOL, 'yes'],
    ['bool', BOOL, 'TRUE'],
    ['bool', BOOL, 2],
    ['bool', BOOL, null],
    ['string', STRING, 5],
    ['string', STRING, true],
    ['choice', CHOICE, 'blue'],
    ['choice', CHOICE, 'Red'],
    ['choice', CHOICE, 1],
  ])('%s rejects %j with DMASIM_BAD_OPTION naming the flag', (_kind, d, raw) => {
    expectBadOption(
      thrown(() => parseParam(d, raw)),
      'some-value',
    );
  });

  it('rejects any value of a choice without choices', () => {
    expectBadOption(
      thrown(() => parseParam(def({ kind: 'choice' }), 'red')),
      'some-value',
    );
  });

  it('treats uint without an explicit min as >= 0 but int as unbounded', () => {
    expect([parseParam(INT, '-1000000'), parseParam(UINT, '0')]).toEqual([-1000000, 0]);
    expectBadOption(
      thrown(() => parseParam(UINT, '-0.5')),
      'some-value',
    );
  });
});

describe('resolveParams', () => {
  const DEFS: ParamDef[] = [
    { key: 'count', flag: 'count', kind: 'uint', default: 3, min: 1, help: 'count' },
    { key: 'ringCapacity', flag: 'ring-capacity', kind: 'uint', default: 8, help: 'ring' },
    { key: 'verbose', flag: 'verbose', kind: 'bool', default: false, help: 'verbose' },
    {
      key: 'mode',
      flag: 'mode',
      kind: 'choice',
      default: 'fast',
      choices: ['fast', 'slow'],
      help: 'mode',
    },
    { key: 'channel', flag: 'channel', kind: 'string', default: undefined, help: 'channel' },
  ];

  it('fills every default for an empty input', () => {
    expect(resolveParams(DEFS, {})).toEqual({
      count: 3,
      ringCapacity: 8,
      verbose: false,
      mode: 'fast',
      channel: undefined,
    });
  });

  it('converts given values and keeps defaults for the others', () => {
    const out = resolveParams(DEFS, { count: '5', verbose: '', channel: 'dma0chan0' });

    expect(out).toEqual({
      count: 5,
      ringCapacity: 8,
      verbose: true,
      mode: 'fast',
      channel: 'dma0chan0',
    });
  });

  it('treats an undefined value as not given', () => {
    expect(resolveParams(DEFS, { count: undefined, mode: undefined })).toMatchObject({
      count: 3,
      mode: 'fast',
    });
  });

  it('rejects a bad value naming its flag', () => {
    expectBadOption(
      thrown(() => resolveParams(DEFS, { ringCapacity: 'big' })),
      'ring-capacity',
    );
    expectBadOption(
      thrown(() => resolveParams(DEFS, { count: 0 })),
      'count',
    );
  });

  it('rejects an unknown key, naming it as a kebab-case flag', () => {
    expectBadOption(
      thrown(() => resolveParams(DEFS, { ringCapcity: 16 })),
      'ring-capcity',
    );
  });

  it('ignores an unknown key whose value is undefined', () => {
    expect(resolveParams(DEFS, { other: undefined })).not.toHaveProperty('other');
  });
});

describe('RUN_OPTION_DEFS', () => {
  it.each(RUN_OPTION_DEFS.map((d) => [d.key, d] as const))(
    '%s has a default that passes its own parseParam',
    (_key, d) => {
      expect(d.default).not.toBeUndefined();

      expect(parseParam(d, d.default)).toBe(d.default);
    },
  );

  it('has unique keys and flags', () => {
    const keys = RUN_OPTION_DEFS.map((d) => d.key);
    const flags = RUN_OPTION_DEFS.map((d) => d.flag);

    expect([new Set(keys).size, new Set(flags).size]).toEqual([keys.length, flags.length]);
  });

  it('resolves an empty input to every default', () => {
    const out = resolveParams(RUN_OPTION_DEFS, {});

    expect(out).toEqual(Object.fromEntries(RUN_OPTION_DEFS.map((d) => [d.key, d.default])));
  });
});
