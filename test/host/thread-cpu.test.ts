import { describe, expect, it } from 'vitest';
import { threadCpuMs } from '../../src/host/thread-cpu.js';

describe('threadCpuMs', () => {
  it.runIf(process.platform === 'linux')('grows while this thread computes', () => {
    const before = threadCpuMs();
    let x = 0;
    for (let i = 0; i < 5e6; i++) x += Math.sqrt(i);

    const after = threadCpuMs();

    expect(x).toBeGreaterThan(0);
    expect(before).not.toBeNull();
    expect(after!).toBeGreaterThan(before!);
  });
});
