import type { MessagePort } from 'node:worker_threads';
import { expose } from 'comlink';
import { ActorRuntime } from './actor-runtime.js';
import { nodeEndpoint } from './node-endpoint.js';
import type { ActorApi } from './protocol.js';

/** The piscina task that hosts an actor: serves its control API until released. */
export function hostActor(task: { port: MessagePort }): Promise<void> {
  const runtime = new ActorRuntime();
  return new Promise((resolve) => {
    const api: ActorApi = {
      attach: (init) => runtime.attach(init),
      run: () => runtime.run(),
      release: () => {
        // Let comlink post the reply to this call before the port closes.
        setImmediate(() => {
          task.port.close();
          resolve();
        });
      },
    };
    expose(api, nodeEndpoint(task.port));
  });
}
