import { apiMisuse } from '../events/checkers/api-misuse.js';
import { configPrepMismatch } from '../events/checkers/config-prep-mismatch.js';
import { dataCorruption } from '../clients/verify/data-corruption.js';
import { dmatestFailure } from '../clients/dmatest/checker.js';

/** The checkers a built-in scenario can name (each a factory of a fresh operator). */
export const BUILTIN_CHECKERS = {
  apiMisuse,
  configPrepMismatch,
  dataCorruption,
  dmatestFailure,
};
