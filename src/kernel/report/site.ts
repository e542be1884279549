/** Where a report was made: the caller of the report API, as the kernel's file:line. */
export interface CallSite {
  /** `file:line`, the file relative to the working directory when it is under it. */
  where: string;
  /** The calling function, or `<anonymous>`. */
  fn: string;
  /** `file:line:column`: one call site (the key of its WARN_ONCE flag). */
  key: string;
}

const FRAME = /^\s*at (?:(.*?) \()?(.*?):(\d+):(\d+)\)?$/;

/** The file of a stack frame, short: no `file://`, relative to the working directory. */
function shortFile(file: string): string {
  const path = file.startsWith('file://') ? decodeURIComponent(file.slice(7)) : file;
  const cwd = `${process.cwd()}/`;
  return path.startsWith(cwd) ? path.slice(cwd.length) : path;
}

/**
 * The call site of `api` (a report function): the first frame below it on the stack.
 * Only called once a report is due, so the stack walk costs nothing on the quiet path.
 */
export function callSite(api: (...args: never[]) => unknown): CallSite {
  const holder: { stack?: string } = {};
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 1;
  try {
    Error.captureStackTrace(holder, api);
  } finally {
    Error.stackTraceLimit = limit;
  }
  const frame = (holder.stack ?? '').split('\n')[1] ?? '';
  const m = FRAME.exec(frame);
  if (!m) return { where: '<unknown>', fn: '<anonymous>', key: frame };
  const file = shortFile(m[2]!);
  return { where: `${file}:${m[3]}`, fn: m[1] ?? '<anonymous>', key: `${file}:${m[3]}:${m[4]}` };
}
