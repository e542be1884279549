import type { DmaengineResult } from './types.js';
import { nameId } from '../shm/name-hash.js';

/** Which of the two callback types a defined callback is. */
export const CallbackKind = { CALLBACK: 1, CALLBACK_RESULT: 2 } as const;

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
  return register({ kind: CallbackKind.CALLBACK, id: nameId(name), name, fn });
}

/** Defines a `callback_result` (receives the dmaengine_result). */
export function defineCallbackResult(
  name: string,
  fn: (param: number, result: DmaengineResult) => void,
): DmaCallbackResult {
  return register({ kind: CallbackKind.CALLBACK_RESULT, id: nameId(name), name, fn });
}

/** Whether `cb` is a callback of `kind` made by defineCallback()/defineCallbackResult(). */
export function isDefinedCallback(cb: unknown, kind: number): boolean {
  if (typeof cb !== 'object' || cb === null) return false;
  const { id } = cb as { id?: unknown };
  return typeof id === 'number' && registry.get(id) === cb && (cb as DmaCallback).kind === kind;
}

/**
 * dmaengine_desc_callback_invoke(): callback_result whenever it is set (with the recorded
 * result), else callback. `callback` and `callbackResult` are ids, 0 for NULL.
 * @returns false when the id to invoke names no callback loaded in this thread
 */
export function invokeCallback(
  callback: number,
  callbackResult: number,
  param: number,
  result: DmaengineResult,
): boolean {
  if (callbackResult !== 0) {
    const cb = registry.get(callbackResult);
    if (cb?.kind !== CallbackKind.CALLBACK_RESULT) return false;
    cb.fn(param, result);
    return true;
  }
  const cb = registry.get(callback);
  if (cb?.kind !== CallbackKind.CALLBACK) return false;
  cb.fn(param);
  return true;
}
