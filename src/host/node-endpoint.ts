import type { MessagePort } from 'node:worker_threads';
import type { Endpoint } from 'comlink';

/** What comlink hands to addEventListener (the DOM's listener types, minus the DOM). */
type MessageListener =
  ((ev: { data: unknown }) => void) | { handleEvent(ev: { data: unknown }): void };

/**
 * Adapts a worker_threads MessagePort to comlink's Endpoint (comlink's own node adapter
 * ships without ESM typings).
 */
export function nodeEndpoint(port: MessagePort): Endpoint {
  const bound = new Map<MessageListener, (data: unknown) => void>();
  const endpoint: Endpoint = {
    postMessage: (message: unknown, transfer?: unknown[]) =>
      port.postMessage(message, transfer as never),
    addEventListener: (_type: string, listener: MessageListener) => {
      const fn = (data: unknown): void => {
        if (typeof listener === 'function') listener({ data });
        else listener.handleEvent({ data });
      };
      bound.set(listener, fn);
      port.on('message', fn);
    },
    removeEventListener: (_type: string, listener: MessageListener) => {
      const fn = bound.get(listener);
      if (fn) port.off('message', fn);
      bound.delete(listener);
    },
    start: () => port.start(),
  };
  return endpoint;
}
