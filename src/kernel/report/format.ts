/**
 * The printf conversions a WARN's format most often uses: %d %i %u %x %X %s %c %p and %%,
 * with a `l`/`ll`/`z` length ignored. Other text is copied; a missing argument prints as
 * the kernel's vsnprintf would not (`(missing)`) rather than throwing.
 */
export function kernelFormat(fmt: string, args: readonly unknown[]): string {
  let k = 0;
  return fmt.replace(/%(?:l{0,2}|z|h{0,2})([diuxXscp%])/g, (_, conv: string) => {
    if (conv === '%') return '%';
    if (k >= args.length) return '(missing)';
    const v = args[k++];
    switch (conv) {
      case 'd':
      case 'i':
        return String(Math.trunc(Number(v)));
      case 'u':
        return String(Math.trunc(Number(v)) >>> 0);
      case 'x':
        return (Math.trunc(Number(v)) >>> 0).toString(16);
      case 'X':
        return (Math.trunc(Number(v)) >>> 0).toString(16).toUpperCase();
      case 'c':
        return typeof v === 'number' ? String.fromCharCode(v) : String(v);
      case 'p':
        return `0x${(Math.trunc(Number(v)) >>> 0).toString(16).padStart(8, '0')}`;
      default:
        return String(v);
    }
  });
}
