import { apiMisuse } from './api-misuse.js';
import { configPrepMismatch } from './config-prep-mismatch.js';
import { dataCorruption } from './data-corruption.js';
import { dmatestFailure } from './dmatest-failure.js';

/** The checkers a built-in scenario can name (each a factory of a fresh operator). */
export const BUILTIN_CHECKERS = {
  apiMisuse,
  configPrepMismatch,
  dataCorruption,
  dmatestFailure,
};
