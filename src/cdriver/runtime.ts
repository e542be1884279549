import { currentActor } from '../kernel/current.js';
import type { Machine } from '../shm/machine.js';
import type { DmaAsyncTxDescriptor } from '../dmaengine/descriptor.js';
import type { KSpinlock } from '../kernel/spinlock.js';
import { DmasimError } from '../errors.js';
import { IMAGE_BASE, IMAGE_BYTES, IMAGE_KEY_BYTES } from './toolchain.js';
import { KERNEL_IMPORTS } from './imports/table.js';

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
 * Where a run's build is published: the last bytes of the driver's image hold its build
 * key (32 bytes), then the arena address and length of its module's bytes, which the host
 * copied into the arena before any thread started. Threads instantiate the module from
 * there, so they never read the compile cache (nor depend on its environment variable).
 */
export const BUILD_ADDR = IMAGE_BASE + IMAGE_BYTES - IMAGE_KEY_BYTES;
const BUILD = { KEY: 0, WASM: 32, LEN: 36 };

/**
 * Host side, before the threads start: puts build `key`'s module into the run's arena.
 * @throws DmasimError DMASIM_BAD_OPTION when the arena has no room for it
 */
export function publishBuild(machine: Machine, key: string, wasm: Uint8Array): void {
  checkImage(machine);
  const arena = machine.arena;
  const at = arena.alloc(wasm.length, 8);
  if (at === 0) {
    throw new DmasimError(
      'DMASIM_BAD_OPTION',
      `the arena has no room for the driver's module (${wasm.length} bytes)`,
    );
  }
  arena.bytes.set(wasm, at);
  const b = arena.bytes;
  for (let k = 0; k < 32; k++) b[BUILD_ADDR + BUILD.KEY + k] = key.charCodeAt(k) & 0xff;
  const v = new DataView(arena.buffer);
  v.setInt32(BUILD_ADDR + BUILD.WASM, at, true);
  v.setInt32(BUILD_ADDR + BUILD.LEN, wasm.length, true);
}

function checkImage(machine: Machine): void {
  const image = machine.spec.state.find((e) => e.name === 'cdriver.image');
  if (!image || image.addr !== IMAGE_BASE) {
    throw new DmasimError(
      'DMASIM_BAD_OPTION',
      `a C driver's image must be the plan's first state (at ${IMAGE_BASE}); it is ${image ? `at ${image.addr}` : 'not declared'}: list driver.image first in plan.state`,
    );
  }
}

/** Compiled modules by build key (a thread compiles each build's bytes once). */
const modules = new Map<string, object>();

/**
 * The thread's runtime of the run's C driver, instantiated on first use (in process
 * context, or in a callback or interrupt handler on a CPU that had not run the driver yet).
 * @throws DmasimError DMASIM_INTERNAL when the run published no build
 */
export function cRuntime(): CRuntime {
  const machine = currentActor().machine;
  if (current !== null && current.machine === machine) return current;
  const b = machine.arena.bytes;
  let key = '';
  for (let k = 0; k < 32 && b[BUILD_ADDR + k] !== 0; k++)
    key += String.fromCharCode(b[BUILD_ADDR + k]!);
  const v = new DataView(machine.arena.buffer);
  const at = v.getInt32(BUILD_ADDR + BUILD.WASM, true);
  const len = v.getInt32(BUILD_ADDR + BUILD.LEN, true);
  if (key === '' || at <= 0 || len <= 0) {
    throw new DmasimError(
      'DMASIM_INTERNAL',
      "the run published no C driver build (the scenario's load() must call driver.load())",
    );
  }
  let m = modules.get(key);
  if (!m) {
    // A module is compiled from unshared bytes.
    m = new W.Module(b.slice(at, at + len));
    modules.set(key, m);
  }
  current = new CRuntime(machine, key, m);
  return current;
}
