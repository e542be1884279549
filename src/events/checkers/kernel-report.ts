import { filter, map, type OperatorFunction } from 'rxjs';
import type { DmaEvent, DmaEventOf } from '../event.js';
import type { Violation } from '../violation.js';
import type { StringTable } from '../../shm/string-table.js';
import { REPORT_KINDS, type StoredReport } from '../../kernel/report/report.js';

/** What a report whose text was lost (the string table was full) still says. */
function lost(e: DmaEventOf<'report'>): StoredReport {
  return {
    kind: REPORT_KINDS[e.type] ?? 'report',
    message: `${e.actor}: a report whose text was lost (the run's string table is full)`,
    report: '',
  };
}

/**
 * `warning`, `bug`, `lockdep-assert` and the kinds of reportViolation(): every `report`
 * event, its text read back from the run's string table. Every run has this checker,
 * whatever its scenario names: driver code reports through it (kernel/report/).
 */
export function kernelReports(strings: StringTable): OperatorFunction<DmaEvent, Violation> {
  return (events$) =>
    events$.pipe(
      filter((e): e is DmaEventOf<'report'> => e.kind === 'report'),
      map((e): Violation => {
        const text = strings.text(e.text);
        const r = text === null ? lost(e) : (JSON.parse(text) as StoredReport);
        return {
          ...r.fields,
          kind: r.kind,
          message: r.message,
          actor: e.actor,
          seq: e.seq,
          time: e.time,
          ...(r.report ? { report: r.report } : {}),
          ...(r.where ? { where: r.where } : {}),
        };
      }),
    );
}
