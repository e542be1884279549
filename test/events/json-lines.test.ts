import { describe, it, expect } from 'vitest';
import { jsonLine } from '../../src/events/exporters/json-lines.js';
import { msText, usText } from '../../src/events/exporters/time-text.js';
import type { DmaEvent } from '../../src/events/event.js';

describe('jsonLine', () => {
  it('writes the event as the stream delivers it, one line', () => {
    const e: DmaEvent = {
      seq: 7,
      time: 1.5,
      actor: 'cpu1',
      context: 'softirq',
      kind: 'callback.begin',
      chan: 0,
      desc: 3,
      result: 0,
      residue: -1,
      gen: 9,
    };

    const line = jsonLine(e);

    expect(line.endsWith('}\n')).toBe(true);
    expect(line.indexOf('\n')).toBe(line.length - 1);
    expect(JSON.parse(line)).toEqual(e);
    expect(Object.keys(JSON.parse(line) as object)).toEqual(Object.keys(e));
  });

  it('writes the time to the ns', () => {
    const e = {
      seq: 0,
      time: 123.4567891234,
      actor: 'dma0',
      context: 'hw',
      kind: 'api.exit',
      api: 3,
    };

    expect(JSON.parse(jsonLine(e as DmaEvent))).toEqual({ ...e, time: 123.456789 });
  });
});

describe('time text', () => {
  it.each([
    [0, '0', '0'],
    [1, '0.001', '0.000001'],
    [1_000, '1', '0.001'],
    [1_234_567, '1234.567', '1.234567'],
    [5_000_000, '5000', '5'],
    [-2_500, '-2.500', '-0.0025'],
  ])('writes %i ns as %s µs and %s ms', (ns, us, ms) => {
    expect([usText(ns), Number(msText(ns))]).toEqual([us, Number(ms)]);
  });
});
