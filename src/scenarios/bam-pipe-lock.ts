import type { Scenario } from './scenario.js';
import type { ParamDef } from '../platform/param-schema.js';
import { builtinCheckers } from './checkers.js';
import { QCE_EE, QCE_RUN, qceBamClient, type QceEeResult } from '../clients/qce-bam/client.js';

const PARAMS: readonly ParamDef[] = [
  {
    key: 'ees',
    flag: 'ees',
    kind: 'uint',
    default: 2,
    min: 1,
    max: 8,
    help: 'execution environments sharing the crypto engine (linux, tz, modem, ...), one pipe and one CPU each',
  },
  {
    key: 'len',
    flag: 'len',
    kind: 'uint',
    default: 1024,
    min: 4,
    max: 65536,
    help: 'bytes of data per crypto request',
  },
  {
    key: 'qceRate',
    flag: 'qce-rate',
    kind: 'number',
    default: 64,
    min: 0,
    help: 'bytes per ms of run clock the crypto engine processes (0: as fast as the host)',
  },
  {
    key: 'unlockOnEmpty',
    flag: 'unlock-on-empty',
    kind: 'bool',
    default: false,
    help: 'v12: UNLOCK queued when desc_issued empties, and no NWD on the data (register-write-while-busy)',
  },
  {
    key: 'noNwd',
    flag: 'no-nwd',
    kind: 'bool',
    default: false,
    help: 'the client omits DMA_PREP_FENCE (NWD) on its data: UNLOCK lands before the engine is done',
  },
  {
    key: 'cookieLockDesc',
    flag: 'cookie-lock-desc',
    kind: 'bool',
    default: false,
    help: 'v19: LOCK and UNLOCK descriptors take cookies (cookie-window)',
  },
  {
    key: 'attachEnotsupp',
    flag: 'attach-enotsupp',
    kind: 'bool',
    default: false,
    help: 'v12/v13 on a BAM without pipe locking: metadata attach fails with -EOPNOTSUPP (request-failed)',
  },
];

/**
 * BAM pipe locking (reference section 4): execution environments, each a CPU with its own
 * BAM pipe and interrupt line, share one crypto engine. Each sends crypto requests as
 * command and data descriptors; the BAM driver brackets every sequence with LOCK and
 * UNLOCK so that no other EE reprograms the engine meanwhile. The series' bugs are flags.
 */
export const bamPipeLockScenario: Scenario = {
  name: 'bam-pipe-lock',
  summary:
    "EEs sharing a crypto engine through a BAM with pipe locking: the series' races as --unlock-on-empty, --no-nwd, --cookie-lock-desc, --attach-enotsupp",
  params: PARAMS,
  providers: ['bam'],
  defaults: { mode: 'controlled', duration: 0, iterations: 8 },
  plan(_opts, params) {
    const p = params as {
      ees: number;
      len: number;
      qceRate: number;
      unlockOnEmpty: boolean;
      cookieLockDesc: boolean;
      attachEnotsupp: boolean;
    };
    return {
      cpus: p.ees,
      state: [QCE_EE, QCE_RUN],
      arenaBytes: p.ees * (p.len + 4096) + (1 << 20),
      arenaFlags: ['--ees', '--len'],
      // Each EE's pipe interrupts that EE's CPU (BAM_IRQ_SRCS_EE).
      irqCpu: (chan) => chan,
      controllers: [
        {
          provider: 'bam',
          channels: p.ees,
          options: {
            ees: p.ees,
            unlock: p.unlockOnEmpty ? 'v12' : 'v21',
            cookieLockDesc: p.cookieLockDesc,
            attachEnotsupp: p.attachEnotsupp,
            // The v12/v13 refusal shows on a BAM without pipe locking (before 1.4.0).
            ...(p.attachEnotsupp ? { pipeLock: false } : {}),
          },
        },
      ],
      peripherals: [{ peripheral: 'qce', name: 'qce0', options: { rate: p.qceRate } }],
    };
  },
  cpuProgram(cpu, opts, params) {
    const p = params as { ees: number; len: number; unlockOnEmpty: boolean; noNwd: boolean };
    return qceBamClient(cpu, {
      ees: p.ees,
      requests: opts.iterations > 0 ? opts.iterations : 8,
      len: p.len,
      // v12's QCE did not set NWD yet (v13 added it).
      fence: !p.noNwd && !p.unlockOnEmpty,
      qce: 'qce0',
    });
  },
  collect(results) {
    const r = results as QceEeResult[];
    const totals = r[0]?.totals;
    return {
      ees: r.map(({ totals: _t, ...ee }) => ee),
      ...(totals ? { totals } : {}),
      mismatches: r.reduce((n, x) => n + x.mismatches, 0),
    };
  },
  checkers: builtinCheckers('dataCorruption', 'apiMisuse'),
};
