import { currentActor } from '../kernel/current.js';
import type { Machine } from '../shm/machine.js';
import type { DmaAsyncTxDescriptor } from '../dmaengine/descriptor.js';
import type { KSpinlock } from '../kernel/spinlock.js';
import { DmasimError } from '../errors.js';
import { IMAGE_BASE, IMAGE_BYTES, IMAGE_KEY_BYTES } from './toolchain.js';
import { KERNEL_IMPORTS } from './imports/table.js';
import { readCached } from './cache.js';

/** Bytes of each thread's C stack (taken from the arena when the thread first runs C). */
export const C_STACK_BYTES = 64 * 1024;

interface WasmInstance {
  exports: Record<string, unknown>;
}
interface WasmTable {
  get(i: number): ((...a: number[]) => number) | null;
}
interface WasmGlobal {
  value: number;
}
const W = (
  globalThis as unknown as {
    WebAssembly: {
      Module: new (b: Uint8Array) => object;
      Instance: new (m: object, i: object) => WasmInstance;
    };
  }
).WebAssembly;

/**
 * A C driver as one thread runs it: its instance over the run's arena (the module's
 * memory), its own stack, and what the kernel imports keep per thread: the kernel objects
 * behind the C handles (channels, descriptors, locks).
 */
export class CRuntime {
  readonly bytes: Uint8Array;
  readonly words: Int32Array;
  readonly view: DataView;
  readonly exports: Record<string, unknown>;
  readonly table: WasmTable;
  /** Descriptors prepared in this thread, by the address of their C view. */
  readonly descs = new Map<number, DmaAsyncTxDescriptor>();
  /** Locks by address, with the name pointer their class came from. */
  readonly locks = new Map<number, { name: number; lock: KSpinlock }>();
  /** data_race() / kcsan_disable_current() nesting on this thread. */
  kcsanOff = 0;
  /** A dmaengine_result for callback_result, in the arena (per thread). */
  readonly resultAddr: number;

  constructor(
    readonly machine: Machine,
    readonly key: string,
    module: object,
  ) {
    const arena = machine.arena;
    this.bytes = arena.bytes;
    this.words = arena.words;
    this.view = new DataView(arena.buffer);
    const env: Record<string, unknown> = { memory: arena.memory };
    for (const [name, make] of Object.entries(KERNEL_IMPORTS)) env[name] = make(this);
    const inst = new W.Instance(module, { env });
    this.exports = inst.exports;
    this.table = inst.exports.__indirect_function_table as WasmTable;
    const stack = arena.alloc(C_STACK_BYTES, 16);
    const scratch = arena.alloc(16, 8);
    if (stack === 0 || scratch === 0) {
      throw new DmasimError(
        'DMASIM_BAD_OPTION',
        'the arena has no room for a C stack: give the run a bigger arena',
      );
    }
    (inst.exports.__stack_pointer as WasmGlobal).value = stack + C_STACK_BYTES;
    this.resultAddr = scratch;
  }

  /** Calls an exported function (undefined when the driver does not export it). */
  call(name: string, ...args: number[]): number | undefined {
    const fn = this.exports[name];
    if (typeof fn !== 'function') return undefined;
    return (fn as (...a: number[]) => number)(...args);
  }

  /** Calls the C function pointer `fn` (an index into the module's table). */
  callPtr(fn: number, ...args: number[]): number {
    const f = this.table.get(fn);
    if (!f) throw new DmasimError('DMASIM_INTERNAL', `C function pointer ${fn} is not a function`);
    return f(...args);
  }

  /** The NUL-terminated string at `addr` ('' for NULL). */
  cString(addr: number): string {
    if (addr === 0) return '';
    const b = this.bytes;
    let end = addr;
    while (end < b.length && b[end] !== 0) end++;
    let s = '';
    for (let k = addr; k < end; k++) s += String.fromCharCode(b[k]!);
    return s;
  }

  u32(addr: number): number {
    return this.view.getUint32(addr, true);
  }

  i32(addr: number): number {
    return this.view.getInt32(addr, true);
  }

  setI32(addr: number, v: number): void {
    this.view.setInt32(addr, v, true);
  }
}

/** This thread's runtime of the run's C driver. */
let current: CRuntime | null = null;

/**
 * Where the run's driver says which build it is: the last bytes of its image, published by
 * the first thread that instantiates it, so that a CPU that first meets the driver in an
 * interrupt (a callback) can instantiate the same build.
 */
export const IMAGE_KEY_ADDR = IMAGE_BASE + IMAGE_BYTES - IMAGE_KEY_BYTES;

function publishKey(machine: Machine, key: string): void {
  const b = machine.arena.bytes;
  for (let k = 0; k < 32; k++) b[IMAGE_KEY_ADDR + k] = key.charCodeAt(k);
}

function publishedKey(machine: Machine): string {
  const b = machine.arena.bytes;
  let s = '';
  for (let k = 0; k < 32 && b[IMAGE_KEY_ADDR + k] !== 0; k++)
    s += String.fromCharCode(b[IMAGE_KEY_ADDR + k]!);
  return s;
}

/** Compiled modules by build key (a thread compiles each build's bytes once). */
const modules = new Map<string, object>();

/** Build `key`'s module, from the cache (the host compiled it before any thread started). */
function loadModule(key: string): object {
  let m = modules.get(key);
  if (m) return m;
  const wasm = key ? readCached(key) : null;
  if (!wasm)
    throw new DmasimError(
      'DMASIM_INTERNAL',
      `C driver build ${key || '(none)'} is not in the cache`,
    );
  m = new W.Module(wasm);
  modules.set(key, m);
  return m;
}

/**
 * The thread's runtime of build `key` in the current run, instantiated on first use.
 * @throws DmasimError when the image is not where the driver was linked to (the driver's
 *   image must be the run's first declared state)
 */
export function cRuntime(key: string): CRuntime {
  const machine = currentActor().machine;
  if (current !== null && current.machine === machine && current.key === key) return current;
  const image = machine.spec.state.find((e) => e.name === 'cdriver.image');
  if (!image || image.addr !== IMAGE_BASE) {
    throw new DmasimError(
      'DMASIM_BAD_OPTION',
      `a C driver's image must be the plan's first state (at ${IMAGE_BASE}); it is ${image ? `at ${image.addr}` : 'not declared'}: list driver.image first in plan.state`,
    );
  }
  current = new CRuntime(machine, key, loadModule(key));
  publishKey(machine, key);
  return current;
}

/** The runtime of the run's driver for kernel code called back from it (callbacks, irqs). */
export function activeRuntime(): CRuntime {
  const machine = currentActor().machine;
  if (current !== null && current.machine === machine) return current;
  return cRuntime(publishedKey(machine));
}
