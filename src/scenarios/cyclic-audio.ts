import type { Scenario } from './scenario.js';
import type { ParamDef } from '../platform/param-schema.js';
import { everyController } from '../platform/devices.js';
import { builtinCheckers } from './checkers.js';
import { DmasimError } from '../errors.js';
import { PCM_STATE, cyclicAudioClient } from '../clients/cyclic-audio/client.js';

/** Bytes per frame: 16-bit stereo (S16_LE, 2 channels). */
const FRAME_BYTES = 4;

const PARAMS: readonly ParamDef[] = [
  {
    key: 'variant',
    flag: 'variant',
    kind: 'choice',
    choices: ['terminate-vdesc', 'no-terminate-vdesc'],
    default: 'terminate-vdesc',
    help: 'terminate-vdesc: terminate_all parks the descriptor and clears vc->cyclic (the fix); no-terminate-vdesc: it frees the descriptor at once (use-after-free in the tasklet)',
  },
  {
    key: 'sampleRate',
    flag: 'sample-rate',
    kind: 'uint',
    default: 48000,
    min: 1000,
    max: 768000,
    help: 'frames per second the codec consumes (4-byte frames)',
  },
  {
    key: 'periodBytes',
    flag: 'period-bytes',
    kind: 'uint',
    default: 1024,
    min: 16,
    max: 1 << 20,
    help: 'bytes per period (a multiple of 16)',
  },
  {
    key: 'periods',
    flag: 'periods',
    kind: 'uint',
    default: 4,
    min: 2,
    max: 256,
    help: 'periods in the ring buffer',
  },
  {
    key: 'consumer',
    flag: 'consumer',
    kind: 'number',
    default: 4,
    min: 0.05,
    max: 1000,
    help: 'how fast the application refills a period, in period times per refill (below 1: xruns)',
  },
  {
    key: 'stopAfter',
    flag: 'stop-after',
    kind: 'uint',
    default: 16,
    min: 1,
    max: 1 << 20,
    help: 'periods played before the stream is stopped (mid-period)',
  },
];

interface CyclicAudioParams {
  variant: 'terminate-vdesc' | 'no-terminate-vdesc';
  sampleRate: number;
  periodBytes: number;
  periods: number;
  consumer: number;
  stopAfter: number;
}

/** FIFO bytes of the codec, and the room at which it requests DMA. */
const CODEC_FIFO = 64;
const CODEC_WATERMARK = 32;
/** Bytes the codec takes per step (4 frames). */
const CODEC_CHUNK = 16;

/**
 * Audio playback over a cyclic transfer (reference 5.3; Peter Ujfalusi's "dmaengine:
 * virt-dma: Support for race free transfer termination"): a tx FIFO device is the codec,
 * the client is an ALSA dmaengine PCM whose period callback is snd_pcm_period_elapsed.
 * The stream is stopped mid-period once the period interrupt ran vchan_cyclic_callback()
 * but before its tasklet: with vchan_terminate_vdesc() (the fix) the terminate clears
 * vc->cyclic; without it the driver frees the descriptor and the tasklet reads it.
 */
export const cyclicAudioScenario: Scenario = {
  name: 'cyclic-audio',
  summary:
    'audio playback over a cyclic transfer, stopped between the period irq and its tasklet (--variant no-terminate-vdesc: use-after-free)',
  params: PARAMS,
  defaults: { mode: 'controlled' },
  plan(opts, params) {
    const p = params as unknown as CyclicAudioParams;
    if (p.periodBytes % CODEC_CHUNK !== 0) {
      throw new DmasimError(
        'DMASIM_BAD_OPTION',
        `--period-bytes must be a multiple of ${CODEC_CHUNK}, got ${p.periodBytes}`,
      );
    }
    return {
      cpus: 1,
      state: [PCM_STATE],
      arenaBytes: p.periods * p.periodBytes + (2 << 20),
      arenaFlags: ['--period-bytes', '--periods'],
      irqCpu: () => 0,
      controllers: everyController(opts.controllers, {
        residue: 'segment',
        terminateVdesc: p.variant === 'terminate-vdesc',
      }),
      peripherals: [
        {
          peripheral: 'fifo',
          name: 'codec0',
          irqCpu: 0,
          options: {
            direction: 'tx',
            rate: (p.sampleRate * FRAME_BYTES) / 1000,
            depth: CODEC_FIFO,
            watermark: CODEC_WATERMARK,
            chunk: CODEC_CHUNK,
            // Plays until the run ends: after the stop it only starves (not counted).
            total: 0,
          },
        },
      ],
    };
  },
  cpuProgram(cpu, _opts, params) {
    if (cpu !== 0) return null;
    const p = params as unknown as CyclicAudioParams;
    return cyclicAudioClient({
      chanName: 'dma0chan0',
      device: 'codec0',
      bytesPerMs: (p.sampleRate * FRAME_BYTES) / 1000,
      periodBytes: p.periodBytes,
      periods: p.periods,
      consumer: p.consumer,
      stopAfter: p.stopAfter,
    });
  },
  collect(results) {
    const r = (results[0] ?? null) as Record<string, unknown> | null;
    return r ? { ...r } : { stream: null };
  },
  checkers: builtinCheckers('dataCorruption', 'apiMisuse'),
};
