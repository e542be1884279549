import { printk } from '../../kernel/current.js';
import { bug } from '../../kernel/report/bug.js';
import { warn } from '../../kernel/report/warn.js';
import { onceAt } from '../../kernel/report/report.js';
import { reportViolationAt } from '../../kernel/report/user-violation.js';
import { accessor } from '../../kernel/kcsan/caller.js';
import type { CRuntime } from '../runtime.js';
import { cFormat } from './format.js';
import { site } from './locks.js';

export const REPORT_IMPORTS = {
  printk: (rt: CRuntime) => (fmt: number, va: number) => {
    const text = cFormat(rt, fmt, va);
    for (const line of text.replace(/\n$/, '').split('\n')) printk(line);
    return text.length;
  },
  __dmasim_bug: (rt: CRuntime) => (file: number, line: number, func: number) =>
    bug(site(rt, file, line, func)),
  __dmasim_warn:
    (rt: CRuntime) => (file: number, line: number, func: number, cond: number, once: number) => {
      const at = site(rt, file, line, func);
      if (once === 0 || onceAt(`${at.where}`)) warn(at, `WARN_ON(${rt.cString(cond)})`);
      return 1;
    },
  dmasim_report: (rt: CRuntime) => (kind: number, fmt: number, va: number) => {
    reportViolationAt(rt.cString(kind), { message: cFormat(rt, fmt, va) }, accessor());
  },
} as const;
