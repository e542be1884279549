import { defineEventKinds } from '../../events/define-event-kinds.js';
import type { DmaEventOf } from '../../events/event.js';

/**
 * `verify.error`: a client checked the bytes a transfer moved and found `errors` of them
 * wrong, the first at `addr` (`expected`, `actual`: that byte). Emitted by the clients that
 * verify their own copies (memcpy-stream, locktorture, config-race).
 */
export const VERIFY_EVENTS = defineEventKinds('verify', {
  'verify.error': { level: 0, fields: ['chan', 'addr', 'expected', 'actual', 'errors'] },
});

/** A verification that found wrong bytes. */
export type VerifyErrorEvent = DmaEventOf<'verify.error'>;

type VerifyKinds = typeof VERIFY_EVENTS.kinds;

declare module '../../events/event.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- adds verify.error to the event union
  interface DeclaredEventKinds extends VerifyKinds {}
}
