import { currentActor } from '../kernel/current.js';
import { CTX_HW } from './emitter.js';

/**
 * Records an event from the current actor, tagged with its CPU context (or the hardware).
 * The counterpart of a kernel tracepoint: free when the level leaves the kind out.
 */
export function trace(code: number, a = 0, b = 0, c = 0, d = 0, e = 0, f = 0, g = 0, h = 0): void {
  const actor = currentActor();
  if (!actor.emitter.on(code)) return;
  actor.emitter.emit(code, actor.cpu ? actor.cpu.context() : CTX_HW, a, b, c, d, e, f, g, h);
}
