import { kfree, kmalloc, kzalloc } from '../../kernel/slab.js';
import { kasanAccess } from '../../kernel/kasan.js';
import type { CRuntime } from '../runtime.js';

/** KASAN's check of a range the kernel's string functions touch. */
function checked(addr: number, n: number, write: boolean, fn: string): boolean {
  return n === 0 || kasanAccess(addr, n, write, fn);
}

export const MEMORY_IMPORTS = {
  kmalloc: () => (size: number, gfp: number) => kmalloc(size, gfp),
  kzalloc: () => (size: number, gfp: number) => kzalloc(size, gfp),
  kfree: () => (addr: number) => {
    kfree(addr);
  },
  memcpy: (rt: CRuntime) => (dst: number, src: number, n: number) => {
    if (checked(src, n, false, 'memcpy') && checked(dst, n, true, 'memcpy'))
      rt.bytes.copyWithin(dst, src, src + n);
    return dst;
  },
  memmove: (rt: CRuntime) => (dst: number, src: number, n: number) => {
    if (checked(src, n, false, 'memmove') && checked(dst, n, true, 'memmove'))
      rt.bytes.copyWithin(dst, src, src + n);
    return dst;
  },
  memset: (rt: CRuntime) => (dst: number, c: number, n: number) => {
    if (checked(dst, n, true, 'memset')) rt.bytes.fill(c & 0xff, dst, dst + n);
    return dst;
  },
  memcmp: (rt: CRuntime) => (a: number, b: number, n: number) => {
    if (!checked(a, n, false, 'memcmp') || !checked(b, n, false, 'memcmp')) return 0;
    const m = rt.bytes;
    for (let k = 0; k < n; k++) {
      const d = m[a + k]! - m[b + k]!;
      if (d !== 0) return d;
    }
    return 0;
  },
  strlen: (rt: CRuntime) => (s: number) => rt.cString(s).length,
} as const;
