import type { CRuntime } from '../runtime.js';

/**
 * vsnprintf over a wasm32 va_list: `va` points at the arguments, each aligned to its size
 * (4 bytes, 8 for long long). Conversions %d %i %u %x %X %c %s %p %%, flags `-0`, a width,
 * lengths h hh l ll z; a KERN_ level prefix is dropped.
 */
export function cFormat(rt: CRuntime, fmtAddr: number, va: number): string {
  const fmt = rt.cString(fmtAddr).replace(/^<[0-7]>/, '');
  let at = va;
  const next32 = (): number => {
    const v = rt.i32(at);
    at += 4;
    return v;
  };
  const next64 = (): bigint => {
    at = (at + 7) & ~7;
    const v = rt.view.getBigInt64(at, true);
    at += 8;
    return v;
  };
  return fmt.replace(
    /%([-0]*)(\d*)(hh|h|ll|l|z)?([diuxXcsp%])/g,
    (_m, flags: string, width: string, len: string | undefined, conv: string) => {
      if (conv === '%') return '%';
      let out: string;
      const wide = len === 'll';
      switch (conv) {
        case 'd':
        case 'i':
          out = wide ? next64().toString() : String(next32());
          break;
        case 'u':
          out = wide ? BigInt.asUintN(64, next64()).toString() : String(next32() >>> 0);
          break;
        case 'x':
        case 'X': {
          const v = wide
            ? BigInt.asUintN(64, next64()).toString(16)
            : (next32() >>> 0).toString(16);
          out = conv === 'X' ? v.toUpperCase() : v;
          break;
        }
        case 'c':
          out = String.fromCharCode(next32() & 0xff);
          break;
        case 's':
          out = rt.cString(next32());
          break;
        default:
          out = `0x${(next32() >>> 0).toString(16).padStart(8, '0')}`;
      }
      const w = Number(width || 0);
      if (out.length >= w) return out;
      if (flags.includes('-')) return out.padEnd(w);
      return out.padStart(w, flags.includes('0') && conv !== 's' ? '0' : ' ');
    },
  );
}
