import { currentActor } from '../kernel/current.js';
import { kzalloc } from '../kernel/slab.js';
import { CHAN } from '../shm/channel-struct.js';
import { DmasimError } from '../errors.js';
import type { DmaChan } from './chan.js';

/** enum rpm_status (pm_runtime.h). */
export const RpmStatus = {
  RPM_ACTIVE: 0,
  RPM_RESUMING: 1,
  RPM_SUSPENDED: 2,
  RPM_SUSPENDING: 3,
} as const;
export type RpmStatus = (typeof RpmStatus)[keyof typeof RpmStatus];

/**
 * The words of a client `struct device` in kmalloc() memory, so that any thread resolves it
 * from its address (CHAN.CLIENT):
 *   MAGIC            says the address is a client device
 *   RUNTIME_STATUS   dev->power.runtime_status (RpmStatus)
 *   USAGE_COUNT      dev->power.usage_count: references providers hold (pm_runtime_get)
 *   NAME_LEN, NAME   dev_name(), up to NAME_BYTES bytes of UTF-8
 */
const DEV = { MAGIC: 0, RUNTIME_STATUS: 1, USAGE_COUNT: 2, NAME_LEN: 3, NAME: 4 } as const;
const NAME_BYTES = 32;
const WORDS = DEV.NAME + NAME_BYTES / 4;
const MAGIC = 0x64657663; // 'devc'

/**
 * A client (consumer) device: the `struct device` a driver passes to dma_request_chan(),
 * which the core records in the channel for the provider to see in
 * device_alloc_chan_resources (e.g. to take a runtime-PM reference on it) until
 * device_free_chan_resources.
 */
export class ClientDevice {
  private readonly w: Int32Array;
  private readonly b: number;

  constructor(
    /** Arena address of the device struct. */
    readonly addr: number,
    /** dev_name(). */
    readonly name: string,
  ) {
    this.w = currentActor().machine.arena.words;
    this.b = addr >>> 2;
  }

  /** dev->power.runtime_status. */
  runtimeStatus(): RpmStatus {
    return Atomics.load(this.w, this.b + DEV.RUNTIME_STATUS) as RpmStatus;
  }

  /** pm_runtime_suspended(). */
  runtimeSuspended(): boolean {
    return this.runtimeStatus() === RpmStatus.RPM_SUSPENDED;
  }

  /** pm_runtime_set_suspended() / pm_runtime_set_active(). */
  setRuntimeStatus(status: RpmStatus): void {
    Atomics.store(this.w, this.b + DEV.RUNTIME_STATUS, status);
  }

  /** dev->power.usage_count. */
  usageCount(): number {
    return Atomics.load(this.w, this.b + DEV.USAGE_COUNT);
  }

  /** pm_runtime_get_noresume(): a provider holds the device. @returns the new count */
  pmRuntimeGetNoresume(): number {
    return Atomics.add(this.w, this.b + DEV.USAGE_COUNT, 1) + 1;
  }

  /** pm_runtime_put_noidle(): a provider lets it go (never below 0). @returns the new count */
  pmRuntimePutNoidle(): number {
    const i = this.b + DEV.USAGE_COUNT;
    for (;;) {
      const v = Atomics.load(this.w, i);
      if (v <= 0) return 0;
      if (Atomics.compareExchange(this.w, i, v, v - 1) === v) return v - 1;
    }
  }
}

/**
 * Creates a client device named `name` (a driver's `&pdev->dev`), active unless said.
 * @throws DmasimError DMASIM_BAD_OPTION for an empty name or one above 32 bytes
 */
export function clientDeviceCreate(
  name: string,
  status: RpmStatus = RpmStatus.RPM_ACTIVE,
): ClientDevice {
  const bytes = new TextEncoder().encode(name);
  if (bytes.length === 0 || bytes.length > NAME_BYTES) {
    throw new DmasimError(
      'DMASIM_BAD_OPTION',
      `client device name ${JSON.stringify(name)}: expected 1 to ${NAME_BYTES} bytes`,
    );
  }
  const addr = kzalloc(WORDS * 4);
  if (addr === 0) throw new DmasimError('DMASIM_INTERNAL', 'client device: kzalloc failed');
  const arena = currentActor().machine.arena;
  const b = addr >>> 2;
  arena.bytes.set(bytes, (b + DEV.NAME) * 4);
  arena.words[b + DEV.NAME_LEN] = bytes.length;
  arena.words[b + DEV.RUNTIME_STATUS] = status;
  Atomics.store(arena.words, b + DEV.MAGIC, MAGIC);
  return new ClientDevice(addr, name);
}

/** The client device at `addr` (in any thread), or null when there is none there. */
export function clientDeviceAt(addr: number): ClientDevice | null {
  if (addr <= 0) return null;
  const arena = currentActor().machine.arena;
  const b = addr >>> 2;
  if (b + WORDS > arena.words.length || Atomics.load(arena.words, b + DEV.MAGIC) !== MAGIC)
    return null;
  const len = arena.words[b + DEV.NAME_LEN]!;
  const start = (b + DEV.NAME) * 4;
  const name = new TextDecoder().decode(arena.bytes.slice(start, start + len));
  return new ClientDevice(addr, name);
}

/**
 * The device that requested `chan` (the provider reads it in device_alloc_chan_resources
 * and until device_free_chan_resources returns), or null.
 */
export function dmaChanClient(chan: DmaChan): ClientDevice | null {
  return clientDeviceAt(Atomics.load(chan.w, chan.base + CHAN.CLIENT));
}
