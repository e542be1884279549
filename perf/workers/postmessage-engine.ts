import { parentPort } from 'node:worker_threads';

// The baseline's engine: every descriptor arrives as a message, its bytes are copied in the
// shared arena, and its completion goes back as a message.
let bytes: Uint8Array | null = null;
parentPort?.on(
  'message',
  (m: { arena?: SharedArrayBuffer; src: number; dst: number; len: number; id: number }) => {
    if (m.arena) {
      bytes = new Uint8Array(m.arena);
      return;
    }
    bytes?.copyWithin(m.dst, m.src, m.src + m.len);
    parentPort?.postMessage(m.id);
  },
);
