import type { CRuntime } from '../runtime.js';
import { LOCK_IMPORTS } from './locks.js';
import { REPORT_IMPORTS } from './report.js';
import { MEMORY_IMPORTS } from './memory.js';
import { SCHED_IMPORTS } from './sched.js';
import { DMAENGINE_IMPORTS } from './dmaengine.js';
import { MAPPING_IMPORTS } from './mapping.js';
import { IRQ_IMPORTS } from './irq.js';
import { DMASIM_IMPORTS } from './dmasim.js';
import { KCSAN_IMPORTS } from './kcsan.js';

/** Makes one import of a thread's runtime. */
type MakeImport = (rt: CRuntime) => unknown;

/**
 * dmasim's kernel as a C driver links against it: every function the headers in include/
 * declare (and the instrumentation calls of a --kcsan build), by symbol name.
 */
export const KERNEL_IMPORTS: Readonly<Record<string, MakeImport>> = {
  ...LOCK_IMPORTS,
  ...REPORT_IMPORTS,
  ...MEMORY_IMPORTS,
  ...SCHED_IMPORTS,
  ...DMAENGINE_IMPORTS,
  ...MAPPING_IMPORTS,
  ...IRQ_IMPORTS,
  ...DMASIM_IMPORTS,
  ...KCSAN_IMPORTS,
};
