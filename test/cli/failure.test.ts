import { describe, it, expect } from 'vitest';
import { DmasimError } from '../../src/index.js';
import { describeFailure } from '../../src/cli/failure.js';

const SEE = 'dmasim run dmatest --help';

describe('describeFailure', () => {
  it('makes bad input exit 2 with the message and where to look', () => {
    const bad = new DmasimError('DMASIM_BAD_OPTION', '--seed: got "x", expected an integer >= 0');
    expect(describeFailure(bad, SEE)).toEqual({
      code: 2,
      text: `dmasim: --seed: got "x", expected an integer >= 0 (see ${SEE})\n`,
    });
    const unknown = new DmasimError('DMASIM_UNKNOWN_SCENARIO', "unknown scenario 'x'");
    expect(describeFailure(unknown, SEE).code).toBe(2);
  });

  it('makes a run that cannot start exit 3 with the library message, which says what to do', () => {
    const stale = new DmasimError('DMASIM_STALE_BUILD', "run 'npm run build' first");
    expect(describeFailure(stale, SEE)).toEqual({
      code: 3,
      text: "dmasim: could not start the run: run 'npm run build' first\n",
    });
  });

  it('makes anything else exit 3 with its message and stack', () => {
    const f = describeFailure(new TypeError('boom'), SEE);
    expect(f.code).toBe(3);
    expect(f.text).toMatch(/^dmasim: internal error: boom\n {2}TypeError: boom\n\s+at /);
    expect(describeFailure('a string', SEE).text).toMatch(/^dmasim: internal error: a string\n/);
    const internal = new DmasimError('DMASIM_INTERNAL', 'broken');
    expect(describeFailure(internal, SEE).text).toMatch(
      /^dmasim: internal error \[DMASIM_INTERNAL\]: broken\n/,
    );
  });
});
