import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where a driver's static data starts: the first byte after the NULL page, which is where
 * the run lays out its first declared state (the driver's image, see image.ts).
 */
export const IMAGE_BASE = 4096;

/** The image's bytes: the driver's static data, then the build key (see runtime.ts). */
export const IMAGE_BYTES = 64 * 1024;

/** The image's last bytes, where the run's build key is published. */
export const IMAGE_KEY_BYTES = 64;

/**
 * How every driver is built: wasm32 over the run's shared arena (imported, shared, never
 * grown), no libc, every undefined symbol an import from dmasim's kernel, the function
 * table exported (C function pointers are indices into it), data from IMAGE_BASE on and a
 * token stack (each thread gets its own, see instance.ts).
 */
export const CFLAGS: readonly string[] = [
  '--target=wasm32',
  '-O2',
  '-g0',
  '-std=gnu11',
  '-nostdlib',
  '-ffreestanding',
  '-fno-builtin',
  '-matomics',
  '-mbulk-memory',
  '-Wall',
  '-Wno-unused-function',
  '-Iinclude',
  `-Wl,--no-entry,--import-memory,--shared-memory,--allow-undefined,--export-table,--global-base=${IMAGE_BASE},--max-memory=2147418112,-z,stack-size=16,--export=__stack_pointer,--export=__heap_base`,
];

/**
 * --kcsan's build: ThreadSanitizer's instrumentation (not its runtime) turns every plain
 * load and store into a call to __tsan_readN/__tsan_writeN, volatile ones (READ_ONCE,
 * WRITE_ONCE) into __tsan_volatile_*; dmasim's kernel implements them (kernel/kcsan/). Atomics
 * stay native, and function entry/exit is not instrumented (wasm has no return address).
 */
export const KCSAN_CFLAGS: readonly string[] = [
  // A report names the function that made the access, as KCSAN's stack does.
  '-fno-inline-functions',
  '-Xclang',
  '-fsanitize=thread',
  '-mllvm',
  '-tsan-distinguish-volatile=true',
  '-mllvm',
  '-tsan-instrument-atomics=false',
  '-mllvm',
  '-tsan-instrument-func-entry-exit=false',
];

/** The headers dmasim ships (`include/`), beside `src/` or `dist/src/`. */
export function includeDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let k = 0; k < 4; k++) {
    const candidate = join(dir, 'include');
    if (existsSync(join(candidate, 'linux', 'dmaengine.h'))) return candidate;
    dir = dirname(dir);
  }
  throw new Error('dmasim: the kernel headers (include/linux) are missing from the package');
}

/** Every header as path (relative to include/) -> text, sorted by path. */
export function headers(): ReadonlyMap<string, string> {
  return (headerTexts ??= readHeaders());
}

let headerTexts: ReadonlyMap<string, string> | null = null;

function readHeaders(): ReadonlyMap<string, string> {
  const root = includeDir();
  const out = new Map<string, string>();
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.h')) out.set(relative(root, p), readFileSync(p, 'utf8'));
    }
  };
  walk(root);
  return out;
}

/** The bundled clang's version (its package's), part of every cache key. */
export function clangVersion(): string {
  return (version ??= readClangVersion());
}

let version: string | null = null;

function readClangVersion(): string {
  const require = createRequire(import.meta.url);
  // Its exports name no package.json: from the bundle (gen/bundle.js) up.
  const pkg = join(dirname(dirname(require.resolve('@yowasp/clang'))), 'package.json');
  return (JSON.parse(readFileSync(pkg, 'utf8')) as { version: string }).version;
}

/** What one build is made of: its sources (as given and as read), defines and mode. */
export interface BuildInput {
  /** Paths as the user gave them (for messages), absolute paths to read. */
  sources: readonly { shown: string; path: string }[];
  /** `-D` definitions: `NAME` or `NAME=VALUE`. */
  defines: readonly string[];
  kcsan: boolean;
}

/** The flags of a build (without the input files). */
export function buildFlags(input: BuildInput): string[] {
  return [...CFLAGS, ...(input.kcsan ? KCSAN_CFLAGS : []), ...input.defines.map((d) => `-D${d}`)];
}

/**
 * The content hash that names a build in the cache: clang's version, the flags, every
 * header and every source (name and text). Whoever computes it gets the same answer, the
 * host that compiles and each actor thread that loads.
 * @throws Error when a source cannot be read (the caller names the file)
 */
export function buildKey(input: BuildInput): string {
  const h = createHash('sha256');
  h.update(`dmasim-cc 1\0${clangVersion()}\0${buildFlags(input).join(' ')}\0`);
  for (const [name, text] of headers()) h.update(`${name}\0${text}\0`);
  for (const s of input.sources) h.update(`${basename(s.path)}\0${readFileSync(s.path, 'utf8')}\0`);
  return h.digest('hex').slice(0, 32);
}
