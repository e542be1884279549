import { currentActor } from '../current.js';
import { DmasimError } from '../../errors.js';
import { ReportType, emitReport } from './report.js';
import { callSite } from './site.js';

/** What reportViolation() takes: the message, and fields scripts can match on. */
export type ViolationFields = { message: string } & Record<string, number | string>;

const KIND = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
const RESERVED = new Set(['kind', 'actor', 'seq', 'time', 'report', 'where']);

/**
 * Records a violation of a kind of the caller's own (`queue-overflow`, ...) with a message
 * and number/string fields, from any CPU's code, in any scenario: it sets the run's exit
 * code as every violation does. Prints one dmesg line with the fields. dmasim's own: the
 * kernel has no such call (a driver would WARN).
 * @throws DmasimError DMASIM_BAD_OPTION for a kind that is not kebab-case, a field named
 *   like a violation's own keys, or a field that is not a number or a string
 */
export function reportViolation(kind: string, fields: ViolationFields): void {
  reportViolationAt(kind, fields, callSite(reportViolation).where);
}

/** reportViolation() made at `where` (a C driver's function: its caller is wasm, not JS). */
export function reportViolationAt(kind: string, fields: ViolationFields, where: string): void {
  if (!KIND.test(kind)) {
    throw new DmasimError(
      'DMASIM_BAD_OPTION',
      `reportViolation: kind ${JSON.stringify(kind)} is not kebab-case (e.g. 'queue-overflow')`,
    );
  }
  const { message, ...rest } = fields;
  for (const [k, v] of Object.entries(rest)) {
    if (RESERVED.has(k) || (typeof v !== 'number' && typeof v !== 'string')) {
      throw new DmasimError(
        'DMASIM_BAD_OPTION',
        `reportViolation: field ${JSON.stringify(k)} must be a number or a string and not one of ${[...RESERVED].join(', ')}`,
      );
    }
  }
  const list = Object.entries(rest)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  const line = `${currentActor().name}: ${kind}: ${String(message)}${list ? ` (${list})` : ''} at ${where}`;
  emitReport(ReportType.USER, [line], {
    kind,
    message: String(message),
    where,
    fields: rest,
  });
}
