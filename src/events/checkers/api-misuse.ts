import { filter, map, type OperatorFunction } from 'rxjs';
import type { DmaEvent, DmaEventOf } from '../event.js';
import type { Violation } from '../violation.js';
import { MISUSE_RULES, MISUSE_RULE_NAMES } from '../../dmaengine/misuse.js';

/** `api-misuse`: every `misuse` event, with the rule it broke. */
export function apiMisuse(): OperatorFunction<DmaEvent, Violation> {
  return (events$) =>
    events$.pipe(
      filter((e): e is DmaEventOf<'misuse'> => e.kind === 'misuse'),
      map((e) => {
        const rule = MISUSE_RULE_NAMES[e.rule] ?? `rule-${e.rule}`;
        return {
          kind: 'api-misuse',
          message: `${e.actor}: ${MISUSE_RULES[rule as keyof typeof MISUSE_RULES] ?? rule} (chan ${e.chan}, value ${e.value})`,
          actor: e.actor,
          seq: e.seq,
          time: e.time,
          rule,
          chan: e.chan,
          value: e.value,
        };
      }),
    );
}
