interface V8CallSite {
  getFunctionName(): string | null;
  getFileName(): string | null;
  getLineNumber(): number | null;
}

/** dmasim's own source folder (`src/` or `dist/src/`), as stack frames name files. */
const OWN = new URL('../../', import.meta.url).href;

/** Frames of the checker itself, never the accessor. */
const CHECKER = ['kernel/kcsan/', 'kernel/state.', 'cdriver/'].map((d) => OWN + d);

/**
 * The function that made the access being checked: the first frame outside the checker,
 * for a C driver its wasm function (named by the module's name section), for TypeScript
 * the JS function. Walks the stack, so it is called only when an access is kept for a
 * later report.
 */
export function accessor(): string {
  const holder: { stack?: unknown } = {};
  const limit = Error.stackTraceLimit;
  // eslint-disable-next-line @typescript-eslint/unbound-method -- put back as it was
  const prepare = Error.prepareStackTrace;
  Error.stackTraceLimit = 12;
  Error.prepareStackTrace = (_e, sites) => sites;
  let sites: V8CallSite[];
  try {
    Error.captureStackTrace(holder, accessor);
    // Read while our prepareStackTrace is in place: the stack is formatted on first read.
    sites = (holder.stack ?? []) as V8CallSite[];
  } finally {
    Error.stackTraceLimit = limit;
    Error.prepareStackTrace = prepare;
  }
  const site = sites.find((s) => {
    const file = s.getFileName() ?? '';
    return !CHECKER.some((c) => file.startsWith(c));
  });
  if (!site) return '<unknown>';
  const fn = site.getFunctionName();
  // A wasm frame is named `<module>.<function>` (driver.wasm.my_callback).
  if (fn) return fn.startsWith('driver.wasm.') ? fn.slice('driver.wasm.'.length) : fn;
  const file = site.getFileName() ?? '';
  return `${file.slice(file.lastIndexOf('/') + 1)}:${site.getLineNumber() ?? 0}`;
}
