import { currentActor, printk } from '../../kernel/current.js';
import { isErr } from '../../kernel/errno.js';
import { RpmStatus, clientDeviceCreate, type ClientDevice } from '../../dmaengine/client-device.js';
import { dmaRequestChan, dmaReleaseChannel } from '../../dmaengine/channel-request.js';
import {
  dmaAsyncIssuePending,
  dmaengineSubmit,
  dmaenginePrepDmaMemcpy,
} from '../../dmaengine/consumer.js';
import { dmaengineTerminateSync } from '../../dmaengine/terminate.js';
import { transfersInFlight } from '../../dmaengine/release-in-flight.js';
import { DmaCtrlFlags } from '../../dmaengine/types.js';
import { DmasimError } from '../../errors.js';

/** How the client gives its channel back. */
export const CLIENT_ASSOCIATION_VARIANTS = ['clean', 'release-in-flight'] as const;
export type ClientAssociationVariant = (typeof CLIENT_ASSOCIATION_VARIANTS)[number];

/** What the client saw. */
export interface ClientAssociationResult {
  variant: ClientAssociationVariant;
  client: string;
  chan: string;
  /** dma_request_chan()'s errno when the provider refused the client, else 0. */
  requestError: number;
  /** The client device the channel named while the provider allocated for it. */
  clientAtAlloc: string | null;
  /** The client's runtime-PM usage count while it held the channel (the provider's ref). */
  usageWhileHeld: number;
  /** Transfers in flight when the client released the channel. */
  inFlightAtRelease: number;
  /** The channel's client device after release (null: free_chan_resources took it back). */
  clientAfterRelease: string | null;
  usageAfterRelease: number;
}

const FLAGS = DmaCtrlFlags.DMA_PREP_INTERRUPT | DmaCtrlFlags.DMA_CTRL_ACK;

/**
 * A client driver (`name`, a struct device) that requests `chanName` for itself, so that
 * the provider sees it in alloc_chan_resources; submits `transfers` memcpy transfers,
 * issuing the first half; then gives the channel back: `clean` terminates them first
 * (dmaengine_terminate_sync()), `release-in-flight` releases at once, with the issued ones
 * possibly still running and the rest submitted (release-with-transfers-in-flight).
 */
export function clientAssociation(
  chanName: string,
  name: string,
  variant: ClientAssociationVariant,
  transfers: number,
  len: number,
  suspended: boolean,
): ClientAssociationResult {
  const { machine } = currentActor();
  const dev: ClientDevice = clientDeviceCreate(
    name,
    suspended ? RpmStatus.RPM_SUSPENDED : RpmStatus.RPM_ACTIVE,
  );
  const res: ClientAssociationResult = {
    variant,
    client: name,
    chan: chanName,
    requestError: 0,
    clientAtAlloc: null,
    usageWhileHeld: 0,
    inFlightAtRelease: 0,
    clientAfterRelease: null,
    usageAfterRelease: 0,
  };
  const chan = dmaRequestChan(chanName, dev);
  if (isErr(chan)) {
    printk(`${name}: dma_request_chan(${chanName}) failed: ${chan}`);
    res.requestError = chan;
    return res;
  }
  res.clientAtAlloc = chan.client()?.name ?? null;
  res.usageWhileHeld = dev.usageCount();
  const src = machine.arena.alloc(len, 64);
  const dst = machine.arena.alloc(len * transfers, 64);
  if (src === 0 || dst === 0) throw new DmasimError('DMASIM_INTERNAL', 'arena exhausted');
  for (let k = 0; k < transfers; k++) {
    const tx = dmaenginePrepDmaMemcpy(chan, dst + k * len, src, len, FLAGS);
    if (!tx) throw new DmasimError('DMASIM_INTERNAL', 'prep_dma_memcpy returned NULL');
    dmaengineSubmit(tx);
    // The first half goes to the hardware; the rest waits for the next issue.
    if (k === Math.ceil(transfers / 2) - 1) dmaAsyncIssuePending(chan);
  }
  if (variant === 'clean') dmaengineTerminateSync(chan);
  res.inFlightAtRelease = transfersInFlight(chan);
  dmaReleaseChannel(chan);
  res.clientAfterRelease = chan.client()?.name ?? null;
  res.usageAfterRelease = dev.usageCount();
  return res;
}
