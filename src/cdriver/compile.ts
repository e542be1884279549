import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { DmasimError } from '../errors.js';
import {
  IMAGE_BASE,
  IMAGE_BYTES,
  IMAGE_KEY_BYTES,
  buildFlags,
  buildKey,
  headers,
  type BuildInput,
} from './toolchain.js';
import { readCached, writeCached } from './cache.js';
import { KERNEL_IMPORTS } from './imports/table.js';

/** A driver built (or found in the cache). */
export interface Compiled {
  key: string;
  wasm: Uint8Array;
  /** It came from the cache (no compiler ran). */
  cached: boolean;
  /** Milliseconds this call took. */
  ms: number;
  /** What clang printed (warnings), with the user's file names. */
  diagnostics: string;
}

type Tree = { [name: string]: Tree | string | Uint8Array };
interface ClangModule {
  runClang(
    args: string[] | null,
    files: Tree,
    options: {
      stdout?: (b: Uint8Array | null) => void;
      stderr?: (b: Uint8Array | null) => void;
      fetchProgress?: () => void;
    },
  ): Promise<Tree>;
}

/** Builds already made by this process, by key (campaigns build once). */
const built = new Map<string, Promise<Compiled>>();

/** Clang's messages name the files as the user gave them. */
function userNames(text: string, input: BuildInput): string {
  let out = text;
  for (const s of input.sources) {
    const b = basename(s.path);
    out = out.replaceAll(
      new RegExp(`(^|\\n)${b.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:`, 'g'),
      `$1${s.shown}:`,
    );
  }
  return out;
}

function compileError(input: BuildInput, message: string): DmasimError {
  const names = input.sources.map((s) => s.shown).join(', ');
  return new DmasimError('DMASIM_BAD_OPTION', `${names}: ${message}`);
}

/**
 * Checks what a module needs from dmasim's kernel: every import must be one the headers
 * declare (a call to anything else would fail only when the driver is instantiated).
 */
function checkModule(input: BuildInput, wasm: Uint8Array): void {
  const W = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
  const mod = new W.Module(wasm);
  const unknown = W.Module.imports(mod)
    .filter((i) => i.kind === 'function' && !(i.name in KERNEL_IMPORTS))
    .map((i) => i.name);
  if (unknown.length > 0) {
    throw compileError(
      input,
      `undefined reference to ${unknown.map((n) => `'${n}'`).join(', ')}: not a function of dmasim's kernel headers (include/linux)`,
    );
  }
  let heapBase: number;
  try {
    const inst = new W.Instance(mod, {
      env: new Proxy(
        {},
        {
          get: (_t, name) =>
            name === 'memory'
              ? new W.Memory({ initial: 2, maximum: 32767, shared: true })
              : () => 0,
        },
      ),
    });
    heapBase = (inst.exports.__heap_base as { value: number }).value;
  } catch (err) {
    // A module whose memory does not fit 128 KiB at link time: far more static data than
    // an image holds.
    throw compileError(
      input,
      `does not link as a driver: ${(err as Error).message} (static data over ${IMAGE_BYTES - IMAGE_KEY_BYTES} bytes?)`,
    );
  }
  if (heapBase > IMAGE_BASE + IMAGE_BYTES - IMAGE_KEY_BYTES) {
    throw compileError(
      input,
      `static data takes ${heapBase - IMAGE_BASE} bytes; a driver may have at most ${IMAGE_BYTES - IMAGE_KEY_BYTES} (allocate big buffers with kmalloc)`,
    );
  }
}

interface WasmApi {
  Module: { new (b: Uint8Array): object; imports(m: object): { name: string; kind: string }[] };
  Instance: new (m: object, imports: object) => { exports: Record<string, unknown> };
  Memory: new (d: { initial: number; maximum: number; shared: boolean }) => object;
}

async function build(input: BuildInput, key: string, t0: number): Promise<Compiled> {
  const hit = readCached(key);
  if (hit) return { key, wasm: hit, cached: true, ms: performance.now() - t0, diagnostics: '' };
  const files: Tree = { include: {} };
  for (const [name, text] of headers()) {
    const parts = name.split('/');
    let dir = files.include as Tree;
    for (const p of parts.slice(0, -1)) dir = (dir[p] ??= {}) as Tree;
    dir[parts.at(-1)!] = text;
  }
  for (const s of input.sources) files[basename(s.path)] = readFileSync(s.path, 'utf8');
  const clang = (await import('@yowasp/clang')) as unknown as ClangModule;
  // Loads LLVM first, quietly: the driver's own first step would print progress to stdout.
  await clang.runClang(null, {}, { fetchProgress: () => undefined });
  let stderr = '';
  const decoder = new TextDecoder();
  const args = [
    'clang',
    ...buildFlags(input),
    ...input.sources.map((s) => basename(s.path)),
    '-o',
    'driver.wasm',
  ];
  let out: Tree;
  try {
    out = await clang.runClang(args, files, {
      stdout: (b) => {
        if (b) stderr += decoder.decode(b);
      },
      stderr: (b) => {
        if (b) stderr += decoder.decode(b);
      },
      fetchProgress: () => undefined,
    });
  } catch (err) {
    const text = userNames(stderr, input).trimEnd();
    throw compileError(input, `does not compile:\n${text || (err as Error).message}`);
  }
  const wasm = out['driver.wasm'];
  if (!(wasm instanceof Uint8Array)) throw compileError(input, 'clang produced no module');
  checkModule(input, wasm);
  writeCached(key, wasm);
  return {
    key,
    wasm,
    cached: false,
    ms: performance.now() - t0,
    diagnostics: userNames(stderr, input),
  };
}

/**
 * Compiles a driver's C sources with the bundled clang (LLVM in WebAssembly), or takes the
 * build from the cache when its content hash is there. Host side, before any thread starts.
 * @throws DmasimError DMASIM_BAD_OPTION naming the file: unreadable, does not compile (with
 *   clang's messages), calls a function dmasim's kernel does not have, or too much static data
 */
export function compileDriver(input: BuildInput): Promise<Compiled> {
  const t0 = performance.now();
  let key: string;
  try {
    key = buildKey(input);
  } catch (err) {
    return Promise.reject(compileError(input, `cannot be read: ${(err as Error).message}`));
  }
  let p = built.get(key);
  if (!p) {
    p = build(input, key, t0);
    built.set(key, p);
    p.catch(() => built.delete(key));
    return p;
  }
  return p.then((c) => ({ ...c, cached: true, ms: performance.now() - t0, diagnostics: '' }));
}
