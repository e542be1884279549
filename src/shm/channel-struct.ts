import { defineLayout } from './layout.js';

/** List heads for the five virt-dma lists; each list is index-linked through descriptors. */
export const VCHAN_LISTS = ['ALLOCATED', 'SUBMITTED', 'ISSUED', 'COMPLETED', 'TERMINATED'] as const;
export type VchanList = (typeof VCHAN_LISTS)[number];

/**
 * `struct dma_chan` + `struct virt_dma_chan`: the framework's part of a channel. A provider
 * keeps its own per-channel state (registers, rings, its slave config) in its hardware
 * words (DeviceSpec.regs), as `struct bam_chan` embeds a `virt_dma_chan`; the channel's
 * interrupt line and tasklet live in the kernel's tables (irq-struct.ts).
 *
 * (under VC_LOCK unless noted)
 *   CLIENT_COUNT, OWNER          dma_chan.client_count; owner = requesting CPU (-1: free)
 *   COOKIE, COMPLETED_COOKIE     dma_chan.cookie / completed_cookie
 *   COOKIE_WRAPPED               set once cookies wrapped past INT_MAX (foreign-cookie check)
 *   TERMINATING                  the terminate_async..synchronize window and the issues
 *                                inside it (see dmaengine/terminate-window.ts)
 *   <LIST>_HEAD / <LIST>_TAIL    virt-dma lists, descriptor indices, -1 when empty
 *   VC_LOCK                      virt_dma_chan.lock (spinlock word: owner cpu + 1)
 *   CHAN_LOCK                    dma_chan.lock, the safe prep API's fallback lock
 *   CHAN_MUTEX                   dma_chan.lock as the v3 series had it: a mutex
 *   CYCLIC, CYCLIC_GEN           virt_dma_chan.cyclic: the descriptor whose period elapsed
 *                                (-1: NULL) and its slot's GEN when it was set
 *   CLIENT                       dma_chan.slave: the client device that requested the
 *                                channel (-1: none), handed to device_alloc_chan_resources
 *   CYCLIC_PERIODS               periods signalled by vchan_cyclic_callback() (monotonic)
 *   CYCLIC_SEEN                  CYCLIC_PERIODS when vchan_complete() last took vc->cyclic
 *   CYCLIC_CALLBACKS             cyclic callbacks vchan_complete() invoked (monotonic)
 *   CYCLIC_COALESCED             periods that got no callback of their own: they elapsed
 *                                while vc->cyclic was already set (monotonic)
 */
export const CHAN = defineLayout(
  [
    'DEVICE',
    'CHAN_ID',
    'CLIENT_COUNT',
    'OWNER',
    'COOKIE',
    'COMPLETED_COOKIE',
    'COOKIE_WRAPPED',
    'TERMINATING',
    'ALLOCATED_HEAD',
    'ALLOCATED_TAIL',
    'SUBMITTED_HEAD',
    'SUBMITTED_TAIL',
    'ISSUED_HEAD',
    'ISSUED_TAIL',
    'COMPLETED_HEAD',
    'COMPLETED_TAIL',
    'TERMINATED_HEAD',
    'TERMINATED_TAIL',
    'VC_LOCK',
    'CHAN_LOCK',
    'CHAN_MUTEX',
    'CYCLIC',
    'CYCLIC_GEN',
    'CLIENT',
    'CYCLIC_PERIODS',
    'CYCLIC_SEEN',
    'CYCLIC_CALLBACKS',
    'CYCLIC_COALESCED',
  ],
  {},
  16,
);
