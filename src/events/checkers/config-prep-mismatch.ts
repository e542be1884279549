import { Observable, type OperatorFunction } from 'rxjs';
import type { DmaEvent } from '../event.js';
import type { Violation } from '../violation.js';
import { DmaOp } from '../../dmaengine/types.js';

const hex = (n: number): string => `0x${(n >>> 0).toString(16)}`;

/**
 * `config-prep-mismatch`: a slave descriptor built from another caller's slave config.
 * A caller is a CPU in one context on one channel (a softirq callback on a CPU is not the
 * process context it interrupted). Its intent is its last `config` event (slave_config, or
 * the config it passed to a prep_config call); the `prep` event says which FIFO addresses
 * the descriptor was really built from. Needs `--events api` or more.
 */
export function configPrepMismatch(): OperatorFunction<DmaEvent, Violation> {
  return (events$) =>
    new Observable<Violation>((sub) => {
      const intent = new Map<string, { src: number; dst: number; seq: number }>();
      return events$.subscribe({
        next: (e) => {
          if (e.kind === 'config') {
            intent.set(`${e.actor}/${e.context}/${e.chan}`, {
              src: e.srcAddr,
              dst: e.dstAddr,
              seq: e.seq,
            });
          } else if (e.kind === 'prep' && e.op === DmaOp.SLAVE_SG) {
            const want = intent.get(`${e.actor}/${e.context}/${e.chan}`);
            if (!want || (want.src === e.srcAddr && want.dst === e.dstAddr)) return;
            sub.next({
              kind: 'config-prep-mismatch',
              message:
                `${e.actor}/${e.context}: descriptor ${e.desc} on chan ${e.chan} was built with ` +
                `src ${hex(e.srcAddr)} dst ${hex(e.dstAddr)}, but this caller configured ` +
                `src ${hex(want.src)} dst ${hex(want.dst)} (event #${want.seq})`,
              actor: e.actor,
              seq: e.seq,
              time: e.time,
              chan: e.chan,
              intended: { src: want.src, dst: want.dst },
              applied: { src: e.srcAddr, dst: e.dstAddr },
            });
          }
        },
        error: (err: unknown) => sub.error(err),
        complete: () => sub.complete(),
      });
    });
}
