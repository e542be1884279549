import { CallbackKind } from '../shm/descriptor-pool.js';
import type { DmaengineResult } from './types.js';

/** `dma_async_tx_callback`: fn(param). */
export interface DmaCallback {
  readonly kind: typeof CallbackKind.CALLBACK;
  readonly id: number;
  readonly name: string;
  readonly fn: (param: number) => void;
}

/** `dma_async_tx_callback_result`: fn(param, result). */
export interface DmaCallbackResult {
  readonly kind: typeof CallbackKind.CALLBACK_RESULT;
  readonly id: number;
  readonly name: string;
  readonly fn: (param: number, result: DmaengineResult) => void;
}

const registry = new Map<number, DmaCallback | DmaCallbackResult>();

/**
 * A completion callback runs on whichever CPU runs the channel's tasklet, maybe not the one
 * that prepared the descriptor, so a descriptor stores the callback as an id. Modules define
 * their callbacks at load time; every thread loads the same modules and gets the same ids
 * (a hash of the name). `param` is a number: a client keeps the state its callback touches
 * in shared memory, as the kernel's callback_param points at shared kernel memory.
 */
function idOf(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  return (h >>> 1) | 1;
}

function register<T extends DmaCallback | DmaCallbackResult>(cb: T): T {
  const other = registry.get(cb.id);
  if (other && other.name !== cb.name) {
    throw new Error(`callback ids collide: ${cb.name} and ${other.name}; rename one`);
  }
  registry.set(cb.id, cb);
  return cb;
}

/** Defines a `callback` (the kernel's deprecated-but-common plain form). */
export function defineCallback(name: string, fn: (param: number) => void): DmaCallback {
  return register({ kind: CallbackKind.CALLBACK, id: idOf(name), name, fn });
}

/** Defines a `callback_result` (receives the dmaengine_result). */
export function defineCallbackResult(
  name: string,
  fn: (param: number, result: DmaengineResult) => void,
): DmaCallbackResult {
  return register({ kind: CallbackKind.CALLBACK_RESULT, id: idOf(name), name, fn });
}

/**
 * dmaengine_desc_callback_invoke(): callback_result if set (with {NOERROR, 0} when no result
 * was recorded), else callback.
 * @returns false when the id names no callback loaded in this thread
 */
export function invokeCallback(
  kind: number,
  id: number,
  param: number,
  result: DmaengineResult,
): boolean {
  const cb = registry.get(id);
  if (!cb || cb.kind !== kind) return false;
  if (cb.kind === CallbackKind.CALLBACK_RESULT) cb.fn(param, result);
  else cb.fn(param);
  return true;
}
