/** Stable error codes: scripts and tests match on these, never on messages. */
export type DmasimErrorCode =
  | 'DMASIM_BAD_OPTION'
  | 'DMASIM_UNKNOWN_SCENARIO'
  | 'DMASIM_ACTOR_CRASHED'
  | 'DMASIM_ACTOR_START'
  | 'DMASIM_STALE_BUILD'
  | 'DMASIM_BAD_REPLAY'
  | 'DMASIM_BAD_EVENT_KIND'
  | 'DMASIM_INTERNAL';

/**
 * The library's error: a stable `code`, a message that says what to do, `cause` kept.
 * Crosses threads as {name, code, message, stack} and is rebuilt with `fromJSON`.
 */
export class DmasimError extends Error {
  override readonly name = 'DmasimError';

  constructor(
    readonly code: DmasimErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  /** Plain-object form for postMessage / comlink. */
  toJSON(): SerializedError {
    return { name: this.name, code: this.code, message: this.message, stack: this.stack ?? '' };
  }
}

/** An error as it crosses a thread boundary. */
export interface SerializedError {
  name: string;
  code?: string;
  message: string;
  stack: string;
}

/** Serialises any thrown value. */
export function serializeError(err: unknown): SerializedError {
  if (err instanceof DmasimError) return err.toJSON();
  if (err instanceof Error) {
    return { name: err.name, message: err.message, stack: err.stack ?? '' };
  }
  return { name: 'Error', message: String(err), stack: '' };
}
