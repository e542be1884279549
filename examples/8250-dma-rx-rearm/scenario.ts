// The 8250 UART's DMA Rx path (drivers/tty/serial/8250/8250_dma.c) as it was between
// "serial: 8250_dma: Fix DMA Rx completion race" (31352811e13d) and "serial: 8250_dma: Fix
// DMA Rx rearm race" (57e9af7831dc), with --fixed applying the second.
//
// DMA Rx is completed from two places: the DMA callback dma_rx_complete() (a tasklet, here
// on cpu1) and serial8250_rx_dma_flush() from the UART interrupt on an Rx timeout (cpu0).
// When the flush completes a transfer whose callback is already on its way, the next UART
// interrupt can re-arm a new transfer before that stale callback takes the port lock; the
// callback then sees rx_running = 1 and completes the NEW transfer early.
import {
  DmaCtrlFlags,
  DmaPort,
  DmaStatus,
  DmaTransferDirection,
  FIFO_REGS,
  FifoCtrl,
  FifoStatus,
  IrqReturn,
  currentActor,
  declareState,
  defineCallback,
  defineIrqHandler,
  defineStruct,
  dmaAsyncIssuePending,
  dmaChans,
  dmaReleaseChannel,
  dmaRequestChan,
  dmaengineSlaveConfig,
  dmaengineSubmit,
  dmaenginePause,
  dmaenginePrepSlaveSingle,
  dmaengineTerminateAsync,
  dmaengineTerminateSync,
  dmaengineTxStatus,
  engineRunning,
  fifoPeripheral,
  fifoStreamByte,
  findPeripheral,
  freeIrqHandler,
  isErr,
  msleep,
  printk,
  raiseIrq,
  reportViolation,
  requestIrqHandler,
  spinLockIrqsave,
  spinUnlockIrqrestore,
  stateOf,
} from 'dmasim';
import type {
  DmaTxState,
  ParamDef,
  PeripheralEnv,
  PeripheralModule,
  Scenario,
  StateInstance,
} from 'dmasim';

/** UART_IIR_RDI, as this model says it: STATUS bit the UART sets as a message arrives. */
const UART_RDI = 1 << 8;

/** Options of the UART model: the fifo model's, but `total`, plus its message pattern. */
interface UartOptions {
  messages: number;
  messageBytes: number;
}

/**
 * The UART's receiver: the built-in fifo model produces each message through its FIFO
 * (its DMA request paces the transfer), then raises DONE, which is the Rx timeout
 * (UART_IIR_RX_TIMEOUT: the line went quiet with the message's tail maybe still in the
 * FIFO). The next message follows at once and announces itself with RDI
 * (UART_IIR_RDI). Messages continue one stream: byte k of the run is fifoStreamByte(k).
 */
export const peripheral: PeripheralModule = {
  ...fifoPeripheral,
  name: 'uart8250',
  summary: 'an 8250 receiver: messages through a FIFO, RDI and Rx timeout interrupts',
  module: import.meta.url,
  options: [
    ...fifoPeripheral.options.filter((d) => d.key !== 'total'),
    { key: 'messages', flag: 'messages', kind: 'uint', default: 6, min: 1, help: 'messages' },
    {
      key: 'messageBytes',
      flag: 'message-bytes',
      kind: 'uint',
      default: 64,
      min: 1,
      help: 'bytes of each message',
    },
  ],
  run(env: PeripheralEnv): void {
    const { machine, spec, view } = env;
    const o = spec.options as unknown as UartOptions;
    const w = machine.arena.words;
    for (let m = 0; m < o.messages && engineRunning(machine.control); m++) {
      // Back to back: the next message's first bytes arrive as the last one's Rx timeout
      // is raised. The first message's transfer is armed at startup.
      if (m > 0) {
        Atomics.or(w, spec.regs + FIFO_REGS.STATUS, UART_RDI);
        raiseIrq(view, spec.firstIrq);
      }
      fifoPeripheral.run({
        ...env,
        spec: { ...spec, options: { ...spec.options, total: o.messageBytes } },
      });
    }
  },
};

/**
 * `struct uart_8250_port` with its `struct uart_8250_dma` and the tty's flip buffer, as
 * declared state (one instance):
 *   lock        port->lock (uart_port_lock_irqsave)
 *   rx_running  dma->rx_running; rx_cookie: dma->rx_cookie; rx_size: dma->rx_size
 *   rx_buf      dma->rx_buf (arena address); rxchan: the channel's index (dma->rxchan)
 *   icount_rx   port->icount.rx
 *   tty_buf     the tty's receive buffer; tty_count: bytes in it (tty_insert_flip_string)
 *   timeouts    Rx timeout interrupts handled; wq: the test waits there for them
 *   fixed       1 with the upstream fix of 57e9af7831dc
 *   stale       the model's own count, not the kernel's: __dma_rx_complete() calls that
 *               found their transfer still DMA_IN_PROGRESS (a stale completion)
 */
const UART_8250_PORT = defineStruct('uart_8250_port', {
  lock: { spinlock: 'uart_port_lock' },
  rx_running: 'i32',
  rx_cookie: 'i32',
  rx_size: 'i32',
  rx_buf: 'i32',
  rxchan: 'i32',
  icount_rx: 'i32',
  tty_buf: 'i32',
  tty_room: 'i32',
  tty_count: 'i32',
  timeouts: 'i32',
  wq: 'waitqueue',
  fixed: 'i32',
  stale: 'i32',
});

const PORT_STATE = declareState('8250.port', UART_8250_PORT, 'machine');

type Port = StateInstance<typeof UART_8250_PORT.fields>;

function port8250(): Port {
  return stateOf(currentActor().machine, PORT_STATE).at(0);
}

/** tty_insert_flip_string(): appends `count` bytes at `src` to the tty's buffer. */
function ttyInsertFlipString(p: Port, src: number, count: number): void {
  const mem = currentActor().machine.arena.bytes;
  const at = p.get('tty_count');
  const n = Math.max(0, Math.min(count, p.get('tty_room') - at));
  mem.copyWithin(p.get('tty_buf') + at, src, src + n);
  p.set('tty_count', at + n);
}

/**
 * __dma_rx_complete(): reads the residue and pushes what the transfer received into the
 * tty. Caller holds port->lock. Buggy: clears rx_running first and trusts whatever
 * rx_cookie names. Fixed (57e9af7831dc): a transfer still in progress is left alone, and
 * rx_running is cleared only after the bytes went up.
 */
function dmaRxCompleteLocked(p: Port): void {
  const chan = dmaChans()[p.get('rxchan')]!;
  const state: DmaTxState = { last: 0, used: 0, residue: 0, inFlightBytes: 0 };
  if (p.get('fixed') === 0) {
    p.set('rx_running', 0);
    if (dmaengineTxStatus(chan, p.get('rx_cookie'), state) === DmaStatus.DMA_IN_PROGRESS)
      p.add('stale', 1);
  } else {
    // New DMA Rx can be started during the completion handler before it could acquire
    // port's lock and it might still be ongoing: leave it alone.
    if (dmaengineTxStatus(chan, p.get('rx_cookie'), state) === DmaStatus.DMA_IN_PROGRESS) {
      p.add('stale', 1);
      return;
    }
  }
  const count = p.get('rx_size') - state.residue;
  ttyInsertFlipString(p, p.get('rx_buf'), count);
  p.add('icount_rx', count);
  if (p.get('fixed') !== 0) p.set('rx_running', 0);
}

/** serial_lsr_in(p) & UART_LSR_DR: the receiver's FIFO holds data. */
function lsrDataReady(): boolean {
  return uartFifo().level() > 0;
}

function uartFifo(): DmaPort {
  const { schedView } = currentActor();
  return new DmaPort(schedView, findPeripheral('uart0')!.dataAddr / 4);
}

/**
 * dma_rx_complete(): the DMA callback (param: unused; the port is the declared state). As
 * after 31352811e13d: under port->lock, completes only a transfer still running, then
 * re-arms if the FIFO has more.
 */
const dmaRxComplete = defineCallback('dma_rx_complete', () => {
  const p = port8250();
  const f = spinLockIrqsave(p.spinlock('lock'));
  if (p.get('rx_running') !== 0) dmaRxCompleteLocked(p);
  // Cannot be combined with the previous check: __dma_rx_complete() changes rx_running.
  if (p.get('rx_running') === 0 && lsrDataReady()) serial8250RxDma(p);
  spinUnlockIrqrestore(p.spinlock('lock'), f);
});

/**
 * serial8250_rx_dma(): arms a DEV_TO_MEM transfer of rx_size bytes into rx_buf, with
 * dma_rx_complete as its callback. Caller holds port->lock.
 */
function serial8250RxDma(p: Port): number {
  if (p.get('rx_running') !== 0) return 0;
  const chan = dmaChans()[p.get('rxchan')]!;
  const desc = dmaenginePrepSlaveSingle(
    chan,
    p.get('rx_buf'),
    p.get('rx_size'),
    DmaTransferDirection.DMA_DEV_TO_MEM,
    DmaCtrlFlags.DMA_PREP_INTERRUPT | DmaCtrlFlags.DMA_CTRL_ACK,
  );
  if (!desc) return -16; // -EBUSY
  p.set('rx_running', 1);
  desc.callback = dmaRxComplete;
  desc.callbackParam = 0;
  p.set('rx_cookie', dmaengineSubmit(desc));
  dmaAsyncIssuePending(chan);
  return 0;
}

/**
 * serial8250_rx_dma_flush(): on an Rx timeout, stops the running transfer where it is and
 * completes it. Caller holds port->lock.
 */
function serial8250RxDmaFlush(p: Port): void {
  if (p.get('rx_running') === 0) return;
  const chan = dmaChans()[p.get('rxchan')]!;
  dmaenginePause(chan);
  dmaRxCompleteLocked(p);
  dmaengineTerminateAsync(chan);
}

/** serial8250_rx_chars(): what DMA left in the FIFO goes up by PIO. Caller holds the lock. */
function serial8250RxChars(p: Port): void {
  const fifo = uartFifo();
  const mem = currentActor().machine.arena.bytes;
  const at = p.get('tty_buf') + p.get('tty_count');
  const n = Math.min(fifo.level(), p.get('tty_room') - p.get('tty_count'));
  let i = 0;
  fifo.popEach(n, mem, (b) => {
    mem[at + i++] = b;
  });
  p.set('tty_count', p.get('tty_count') + n);
  p.add('icount_rx', n);
}

/**
 * serial8250_handle_irq() with handle_rx_dma(): RDI arms DMA Rx if none runs; an Rx
 * timeout flushes it and reads the rest of the FIFO by PIO.
 */
const serial8250HandleIrq = defineIrqHandler('serial8250_handle_irq', (_irq, regs) => {
  const w = currentActor().machine.arena.words;
  const iir = Atomics.load(w, regs + FIFO_REGS.STATUS);
  if (iir === 0) return IrqReturn.IRQ_NONE;
  Atomics.and(w, regs + FIFO_REGS.STATUS, ~iir);
  const p = port8250();
  const lock = p.spinlock('lock');
  // One cause per pass, each under the lock, as serial8250_handle_irq() takes the one IIR
  // reports: an Rx timeout (the tail of a message), then RDI (the next message's bytes).
  if ((iir & FifoStatus.DONE) !== 0) {
    const f = spinLockIrqsave(lock);
    serial8250RxDmaFlush(p);
    serial8250RxChars(p);
    p.add('timeouts', 1);
    spinUnlockIrqrestore(lock, f);
    p.waitQueue('wq').wakeUp();
  }
  if ((iir & UART_RDI) !== 0) {
    const f = spinLockIrqsave(lock);
    serial8250RxDma(p);
    spinUnlockIrqrestore(lock, f);
  }
  return IrqReturn.IRQ_HANDLED;
});

interface Params {
  fixed: boolean;
  messages: number;
  messageBytes: number;
  rxSize: number;
}

/** What cpu0 saw. */
interface RxResult {
  sent: number;
  received: number;
  timeouts: number;
  /** __dma_rx_complete() calls that found their transfer still in progress. */
  stale: number;
  firstDifference: number;
}

/** The first byte where the tty's data leaves the UART's stream, or -1 if none does. */
function firstDifference(p: Port, sent: number): number {
  const mem = currentActor().machine.arena.bytes;
  const got = p.get('tty_count');
  const base = p.get('tty_buf');
  for (let k = 0; k < Math.min(got, sent); k++) if (mem[base + k] !== fifoStreamByte(k)) return k;
  return got === sent ? -1 : Math.min(got, sent);
}

/**
 * cpu0: serial8250_request_dma() and startup (slave config, request_irq, enable the
 * receiver), then waits for the messages as a tty reader would, shuts the port down and
 * compares what the tty got with what the UART sent, byte for byte.
 */
function uartRxProgram(params: Params): RxResult {
  const { machine } = currentActor();
  const p = port8250();
  const uart = findPeripheral('uart0')!;
  const chan = dmaRequestChan('dma0chan0');
  if (isErr(chan)) throw new Error(`dma0chan0: request failed (${chan})`);
  const sent = params.messages * params.messageBytes;
  p.set('fixed', params.fixed ? 1 : 0);
  p.set('rxchan', chan.index);
  p.set('rx_size', params.rxSize);
  p.set('rx_buf', machine.arena.alloc(params.rxSize, 64));
  p.set('tty_room', 2 * sent + params.rxSize);
  p.set('tty_buf', machine.arena.alloc(2 * sent + params.rxSize, 64));
  dmaengineSlaveConfig(chan, {
    direction: DmaTransferDirection.DMA_DEV_TO_MEM,
    srcAddr: uart.dataAddr,
    dstAddr: 0,
    srcAddrWidth: 1,
    dstAddrWidth: 1,
    srcMaxburst: 16,
    dstMaxburst: 16,
  });
  if (requestIrqHandler(uart.irq, serial8250HandleIrq, uart.regs) < 0)
    throw new Error('request_irq failed');
  // The first message's transfer, armed before the receiver starts.
  const f = spinLockIrqsave(p.spinlock('lock'));
  serial8250RxDma(p);
  spinUnlockIrqrestore(p.spinlock('lock'), f);
  Atomics.store(uart.words, uart.regs + FIFO_REGS.CTRL, FifoCtrl.EN | FifoCtrl.IRQ_DONE);
  const wq = p.waitQueue('wq');
  if (!wq.waitEventTimeout(() => p.load('timeouts') >= params.messages, 60_000))
    printk('8250: not every message ended in an Rx timeout within 60 s');
  // A stale callback may still be on its way: give it time before the port goes down.
  msleep(2);
  // serial8250_release_dma(): the channel stops for good.
  dmaengineTerminateSync(chan);
  freeIrqHandler(uart.irq);
  dmaReleaseChannel(chan);
  const received = p.load('tty_count');
  const diff = firstDifference(p, sent);
  if (diff >= 0) {
    const kind =
      received > sent ? 'uart-rx-duplicate' : received < sent ? 'uart-rx-lost' : 'uart-rx-corrupt';
    reportViolation(kind, {
      message: `ttyS0: the UART sent ${sent} bytes, the tty got ${received}; first wrong byte at ${diff}`,
      sent,
      received,
      firstDifference: diff,
    });
  }
  return {
    sent,
    received,
    timeouts: p.load('timeouts'),
    stale: p.load('stale'),
    firstDifference: diff,
  };
}

const PARAMS: readonly ParamDef[] = [
  {
    key: 'fixed',
    flag: 'fixed',
    kind: 'bool',
    default: false,
    help: '__dma_rx_complete() leaves a transfer in progress alone (57e9af7831dc)',
  },
  {
    key: 'messages',
    flag: 'messages',
    kind: 'uint',
    default: 6,
    min: 1,
    max: 64,
    help: 'messages the UART receives',
  },
  {
    key: 'messageBytes',
    flag: 'message-bytes',
    kind: 'uint',
    default: 64,
    min: 1,
    max: 4096,
    help: 'bytes of each message',
  },
  {
    key: 'rxSize',
    flag: 'rx-size',
    kind: 'uint',
    default: 64,
    min: 16,
    max: 4096,
    help: 'dma->rx_size: bytes of each DMA Rx',
  },
];

/**
 * The scenario: cpu0 takes the UART's interrupt, cpu1 the DMA controller's (its tasklet
 * runs dma_rx_complete), and the UART receives messages of rx_size bytes back to back, so
 * that a transfer completes as its message's Rx timeout arrives.
 */
export const scenario: Scenario = {
  name: '8250-dma-rx-rearm',
  module: import.meta.url,
  summary: '8250 DMA Rx: a stale dma_rx_complete() completes a re-armed transfer (--fixed: clean)',
  params: PARAMS,
  defaults: { mode: 'controlled', channels: 1 },
  plan(_opts, params) {
    const p = params as unknown as Params;
    return {
      cpus: 2,
      state: [PORT_STATE],
      arenaBytes: 1 << 20,
      irqCpu: () => 1,
      peripherals: [
        {
          peripheral,
          name: 'uart0',
          irqCpu: 0,
          options: {
            direction: 'rx',
            rate: 100,
            depth: 256,
            watermark: 16,
            chunk: 4,
            messages: p.messages,
            messageBytes: p.messageBytes,
          },
        },
      ],
    };
  },
  cpuProgram(cpu, _opts, params) {
    return cpu === 0 ? uartRxProgram(params as unknown as Params) : null;
  },
  collect(results) {
    return { rx: results[0] ?? null };
  },
  checkers: [],
};
