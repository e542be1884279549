import type { Piscina } from 'piscina';
import { ActorHandle } from './actor-handle.js';

/**
 * Actor threads reserved together for a series of runs (one campaign worker's): each is a
 * pool task that stays attached from run to run, so a run after the first costs no thread
 * start, no task hand-out and no port set-up. A thread killed by a run's watchdog is
 * replaced before the next run.
 */
export class Crew {
  private handles: ActorHandle[] = [];
  private released = false;

  constructor(private readonly pool: Piscina) {}

  /** Handles for actors `names`, in order: this crew's own, made on first use. */
  take(names: readonly string[]): ActorHandle[] {
    if (this.released) throw new Error('crew: take() after release()');
    for (let i = 0; i < names.length; i++) {
      const h = this.handles[i];
      if (!h || h.ended) {
        h?.release().catch(() => undefined);
        this.handles[i] = new ActorHandle(this.pool, names[i]!);
      } else {
        h.name = names[i]!;
      }
    }
    return this.handles.slice(0, names.length);
  }

  /** Threads this crew holds now. */
  get size(): number {
    return this.handles.length;
  }

  /** Gives every thread back to the pool. */
  async release(): Promise<void> {
    this.released = true;
    const hs = this.handles;
    this.handles = [];
    await Promise.all(hs.map((h) => h.release()));
  }

  /** Terminates every thread at once (an aborted campaign whose runs do not stop). */
  kill(): void {
    for (const h of this.handles) h.kill();
  }
}
