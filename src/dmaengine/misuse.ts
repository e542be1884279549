import { EventCode } from '../events/kinds.js';
import { trace } from '../events/trace.js';
import { printk } from '../kernel/current.js';

/**
 * API misuse the simulator recognises. Misuse is not a JS exception: the call returns what
 * the kernel would (NULL, a negative errno, a status) and a `misuse` event names the rule.
 */
export const MISUSE_RULES = {
  'chan-not-held': 'dmaengine call on a channel with no client (released or never requested)',
  'zero-length': 'zero-length transfer or empty scatterlist',
  'submit-twice':
    'dmaengine_submit() of a descriptor already on desc_submitted: it gets a new cookie and the first is never completed',
  'submit-not-prepared':
    'dmaengine_submit() of a descriptor that was already issued, completed or freed (the pointer is invalid after submit)',
  'stale-descriptor': 'use of a descriptor handle whose slot was freed and reused',
  'status-foreign-cookie': 'tx_status of a cookie this channel never returned',
  'release-refcount': 'dma_release_channel(): chan reference count != 1',
  'issue-after-terminate':
    'dma_async_issue_pending() between dmaengine_terminate_async() and dmaengine_synchronize() (undefined behaviour)',
  'unknown-callback': 'a descriptor callback that is not loaded in the thread running the tasklet',
  'reuse-unsupported': 'dmaengine_desc_set_reuse() on a channel without descriptor_reuse',
  'bad-callback':
    'tx.callback / tx.callbackResult set to something not made with defineCallback() / defineCallbackResult()',
  'bad-callback-param': 'tx.callbackParam set to something that is not an int32 number',
  'resume-not-paused':
    'dmaengine_resume() of a channel that is not paused ("it is invalid to resume a channel which is not currently paused")',
} as const;

export type MisuseRule = keyof typeof MISUSE_RULES;
export const MISUSE_RULE_NAMES = Object.keys(MISUSE_RULES) as MisuseRule[];
const RULE_CODE = Object.fromEntries(MISUSE_RULE_NAMES.map((r, i) => [r, i])) as Record<
  MisuseRule,
  number
>;

/** Records misuse of `rule` on channel `chan` (with a rule-specific value) and logs it. */
export function reportMisuse(rule: MisuseRule, chan: number, value = 0, logLine?: string): void {
  trace(EventCode.misuse, RULE_CODE[rule], chan, value);
  if (logLine) printk(logLine);
}
