import { delimiter } from 'node:path';

/** A NODE_PATH entry through which clinic.js makes its preloads (`-r sampler.js`) findable. */
const CLINIC_INJECTS = /[\\/]@clinic[\\/][^\\/]+[\\/]injects[\\/]?$/;

/**
 * The environment actor threads start with: undefined (the process's) except under
 * clinic.js. clinic doctor and bubbleprof collect through `-r` preloads in NODE_OPTIONS,
 * and a worker thread runs those preloads as well: every actor thread would then write
 * the same sample file as the main thread and corrupt it (doctor fails with "Decoded
 * message is not valid"). Actor threads get NODE_OPTIONS dropped, so clinic sees the main
 * thread it was built for; the NODE_OPTIONS left after removing the preloads would still
 * hold per-process flags (`--trace-events-enabled`) that a worker refuses.
 */
export function actorThreadEnv(
  env: NodeJS.ProcessEnv = process.env,
): NodeJS.ProcessEnv | undefined {
  const underClinic = (env.NODE_PATH ?? '').split(delimiter).some((p) => CLINIC_INJECTS.test(p));
  if (!underClinic || env.NODE_OPTIONS === undefined) return undefined;
  const own = { ...env };
  delete own.NODE_OPTIONS;
  return own;
}
