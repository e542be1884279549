import { expect } from 'vitest';
import { DmasimError } from '../../src/index.js';

/** What `run` rejects with: a DmasimError (the test fails on a resolve or another error). */
export async function refusal(run: Promise<unknown>): Promise<DmasimError> {
  const err = await run.then(
    () => new Error('expected a rejection'),
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DmasimError);
  return err as DmasimError;
}
