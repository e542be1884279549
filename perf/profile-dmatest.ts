#!/usr/bin/env node
// A plain scenario script for profilers (clinic, --cpu-prof): dmatest on 2 channels x 2
// threads for 3 s, then the streaming path for 2 s. Exits cleanly on SIGINT so that
// --cpu-prof still writes its profiles.
import { runScenario, shutdownActorPool } from '../src/index.js';

process.on('SIGINT', () => process.exit(130));
try {
  const a = await runScenario('dmatest', { threadsPerChan: 2, duration: 3000 });
  const b = await runScenario('memcpy-stream', { channels: 1, duration: 2000 });
  console.log(
    `dmatest: ${a.stats.descriptors} descriptors; memcpy-stream: ${b.stats.descriptors} descriptors`,
  );
} finally {
  await shutdownActorPool();
}
