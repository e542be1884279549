import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { join } from 'node:path';
import { threadCpuMs } from './thread-cpu.js';
import type { ThreadUsage } from './protocol.js';

/**
 * What one actor's thread spends on a run: its CPU time always, and a V8 CPU profile of
 * the thread when the run asks for one (RunControl.cpuProfileDir). It covers the actor's
 * life in the run, from attach to the end of run() on every path the thread survives (a
 * clean end, an abort, a crash of the actor's code); a thread the watchdog kills writes
 * nothing.
 */
export class ActorProfile {
  private constructor(
    private readonly cpu0: number | null,
    private session: Session | null,
    private readonly dir: string | undefined,
    private error: string | undefined,
  ) {}

  /** Starts measuring; with `dir`, starts this thread's CPU profiler. Never throws. */
  static start(dir?: string): ActorProfile {
    const cpu0 = threadCpuMs();
    if (dir === undefined) return new ActorProfile(cpu0, null, undefined, undefined);
    let session: Session | null = null;
    try {
      session = new Session();
      session.connect();
      // A session on its own thread answers inside post(): the profiler runs on return.
      const s = session;
      answer<void>((cb) => s.post('Profiler.enable', (err) => cb(err, undefined)));
      answer<void>((cb) => s.post('Profiler.start', (err) => cb(err, undefined)));
      return new ActorProfile(cpu0, s, dir, undefined);
    } catch (err) {
      session?.disconnect();
      return new ActorProfile(cpu0, null, dir, `cannot start the CPU profiler: ${message(err)}`);
    }
  }

  /**
   * Stops measuring and writes `<dir>/<actor>.cpuprofile`. A profile that cannot be written
   * is reported, not thrown: the run's own outcome stands.
   */
  finish(actor: string): ThreadUsage {
    const cpu1 = threadCpuMs();
    const usage: ThreadUsage = {
      cpuMs:
        this.cpu0 === null || cpu1 === null ? null : Math.round((cpu1 - this.cpu0) * 100) / 100,
    };
    const session = this.session;
    this.session = null;
    if (session && this.dir !== undefined) {
      try {
        const { profile } = answer<{ profile: object }>((cb) => session.post('Profiler.stop', cb));
        const file = join(this.dir, `${actor}.cpuprofile`);
        writeFileSync(file, JSON.stringify(profile));
        usage.profile = file;
      } catch (err) {
        this.error = `cannot write the CPU profile: ${message(err)}`;
      } finally {
        session.disconnect();
      }
    }
    if (this.error !== undefined) usage.profileError = this.error;
    return usage;
  }
}

/** The answer of a same-thread inspector call, which arrives before post() returns. */
function answer<T>(post: (cb: (err: Error | null, res: T) => void) => void): T {
  let got: { err: Error | null; res: T } | undefined;
  post((err, res) => (got = { err, res }));
  if (got === undefined) throw new Error('the inspector did not answer at once');
  if (got.err) throw got.err;
  return got.res;
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
