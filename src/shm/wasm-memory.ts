/**
 * The part of `WebAssembly.Memory` the arena uses, typed here: the Node 20 typings carry no
 * WebAssembly namespace. At run time it is the real thing (a driver compiled to wasm32 with
 * `--import-memory --shared-memory` imports it as its memory).
 */
export interface WasmMemory {
  /** For a shared memory, a SharedArrayBuffer (the same object until the memory grows). */
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
  grow(deltaPages: number): number;
}

interface WasmMemoryConstructor {
  new (descriptor: { initial: number; maximum?: number; shared?: boolean }): WasmMemory;
}

/** `WebAssembly.Memory`. */
export const WasmMemory = (
  globalThis as unknown as { WebAssembly: { Memory: WasmMemoryConstructor } }
).WebAssembly.Memory;
