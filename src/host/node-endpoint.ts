import type { MessagePort } from 'node:worker_threads';
import type { Endpoint } from 'comlink';

type Listener = Parameters<Endpoint['addEventListener']>[1];

/**
 * Adapts a worker_threads MessagePort to comlink's Endpoint (comlink's own node adapter
 * ships without ESM typings).
 */
export function nodeEndpoint(port: MessagePort): Endpoint {
  const bound = new Map<Listener, (data: unknown) => void>();
  return {
    postMessage: (message: unknown, transfer?: unknown[]) => port.postMessage(message, transfer as never),
    addEventListener: (_type: string, listener: Listener) => {
      const fn = (data: unknown): void => {
        const ev = { data } as MessageEvent;
        if (typeof listener === 'function') listener(ev);
        else listener.handleEvent(ev);
      };
      bound.set(listener, fn);
      port.on('message', fn);
    },
    removeEventListener: (_type: string, listener: Listener) => {
      const fn = bound.get(listener);
      if (fn) port.off('message', fn);
      bound.delete(listener);
    },
    start: () => port.start(),
  };
}
