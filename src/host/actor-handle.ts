import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { wrap, releaseProxy, type Remote } from 'comlink';
import type { Piscina } from 'piscina';
import { nodeEndpoint } from './node-endpoint.js';
import type { ActorApi, ActorReport } from './protocol.js';

/**
 * The host's end of one actor: its pool task, its control port and a kill switch. A call
 * over comlink never settles once the worker is gone, so every wait races the task.
 */
export class ActorHandle {
  readonly api: Remote<ActorApi>;
  /** Settles when the hosting task ends (resolves on release, rejects if killed or crashed). */
  readonly task: Promise<void>;
  private readonly port: MessagePort;
  private readonly abort = new AbortController();
  private taskEnded = false;
  /** Why the task ended abnormally, if it did (kept so the rejection is always handled). */
  taskError: unknown = null;

  constructor(
    pool: Piscina,
    /** The actor it hosts now (a crew's thread hosts the same actor of each run). */
    public name: string,
  ) {
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    this.task = (
      pool.run(
        { port: port2 },
        { transferList: [port2], signal: this.abort.signal },
      ) as Promise<void>
    ).finally(() => {
      this.taskEnded = true;
    });
    this.task.catch((err: unknown) => {
      this.taskError = err;
    });
    this.api = wrap<ActorApi>(nodeEndpoint(port1));
  }

  /** `promise`, or a rejection if the hosting task ends first. */
  private guard<T>(promise: Promise<T>): Promise<T> {
    const ended = this.task.then(
      () => Promise.reject(new Error(`actor ${this.name}: its thread ended before answering`)),
      (err: unknown) => Promise.reject(err instanceof Error ? err : new Error(String(err))),
    );
    return Promise.race([promise, ended]);
  }

  /** Whether the hosting task ended (released, killed or crashed). */
  get ended(): boolean {
    return this.taskEnded;
  }

  /** Runs the actor; resolves with its report when its life in the run ends. */
  run(): Promise<ActorReport> {
    return this.guard(this.api.run());
  }

  /** Calls `fn` on the API, guarded against the thread disappearing. */
  call<T>(fn: (api: Remote<ActorApi>) => Promise<T>): Promise<T> {
    return this.guard(fn(this.api));
  }

  /** Ends the task politely: the thread returns to the pool. */
  async release(): Promise<void> {
    if (!this.taskEnded) {
      try {
        await this.guard(this.api.release());
        await this.task;
      } catch (err) {
        // A thread that died is already gone from the pool: nothing left to release.
        void err;
      }
    }
    this.close();
  }

  /** Terminates the thread (piscina replaces it). Shared state it touched is discarded with the run. */
  kill(): void {
    this.abort.abort();
  }

  private close(): void {
    this.api[releaseProxy]();
    this.port.close();
  }
}
