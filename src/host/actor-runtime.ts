import { ACTOR, ActorState, CONTROL, CONTROL_EPOCH_F64, Phase } from '../shm/control-block.js';
import { LAYOUT_SIGNATURE, Machine } from '../shm/machine.js';
import { Cpu } from '../kernel/cpu.js';
import { RunClock } from '../kernel/clock.js';
import { setCurrentActor, type ActorContext } from '../kernel/current.js';
import { resetInterrupts } from '../kernel/interrupts.js';
import { RunAborted } from '../kernel/run-aborted.js';
import { deriveSeed } from '../kernel/random.js';
import { WAIT_SLICE_MS } from '../kernel/raw-lock.js';
import { EventEmitter } from '../events/emitter.js';
import { dmaAsyncDeviceRegister, resetDmaDevices } from '../dmaengine/device-list.js';
import { VdmaDevice } from '../providers/vdma/vdma.js';
import { VdmaEngine } from '../providers/vdma/engine.js';
import { getScenario } from '../scenarios/registry.js';
import type { Scenario } from '../scenarios/scenario.js';
import type { RunOptions } from '../scenarios/run-options.js';
import { DmasimError, serializeError, type SerializedError } from '../errors.js';
import type { ActorInit, ActorOutcome, ActorReport } from './protocol.js';

/**
 * Loads a user scenario module in this worker.
 * @throws DmasimError DMASIM_BAD_OPTION when the module exports no `scenario`
 */
export async function importScenario(url: string): Promise<Scenario> {
  const mod = (await import(url)) as { scenario?: Scenario };
  if (!mod.scenario || typeof mod.scenario.cpuProgram !== 'function') {
    throw new DmasimError(
      'DMASIM_BAD_OPTION',
      `${url}: the module exports no 'scenario' (a Scenario object)`,
    );
  }
  return mod.scenario;
}

/** Wakes the host's drain loop (it also watches the control words). */
function pokeHost(control: Int32Array): void {
  Atomics.add(control, CONTROL.HOST_DOORBELL, 1);
  Atomics.notify(control, CONTROL.HOST_DOORBELL);
}

/**
 * One actor's life in one run, inside its worker thread: attach builds the machine's views,
 * registers the providers (every thread probes the same drivers) and makes this thread the
 * actor; run waits for the start, runs the CPU's program or the engine, and reports.
 */
export class ActorRuntime {
  private ctx: ActorContext | null = null;
  private init: ActorInit | null = null;
  private scenario: Scenario | null = null;
  private engine: VdmaEngine | null = null;

  async attach(init: ActorInit): Promise<SerializedError | null> {
    try {
      this.scenario = init.scenarioModule
        ? await importScenario(init.scenarioModule)
        : getScenario(init.scenario);
      if (init.spec.layoutSignature !== LAYOUT_SIGNATURE) {
        throw new DmasimError(
          'DMASIM_STALE_BUILD',
          "worker build does not match the host's layouts: run 'npm run build'",
        );
      }
      resetInterrupts();
      resetDmaDevices();
      const machine = new Machine(init.spec, init.buffers);
      const clock = new RunClock(init.spec.epochMs);
      const a = init.spec.actors[init.actor]!;
      const ctx: ActorContext = {
        machine,
        index: init.actor,
        name: a.name,
        emitter: new EventEmitter(
          machine.rings[init.actor]!,
          machine.control,
          clock,
          init.spec.eventLevel,
          machine.stats,
          machine.statBase(init.actor),
          init.spec.lockdep,
        ),
        clock,
        cpu: a.kind === 'cpu' ? new Cpu(machine, a.index) : null,
        dmesg: [],
      };
      setCurrentActor(ctx);
      for (const ds of init.spec.devices) {
        const ret = dmaAsyncDeviceRegister(new VdmaDevice(machine, ds));
        if (ret < 0)
          throw new DmasimError(
            'DMASIM_INTERNAL',
            `${ds.name}: dma_async_device_register failed (${ret})`,
          );
        if (a.kind === 'engine' && ds.index === a.index) {
          this.engine = new VdmaEngine(
            machine,
            ds,
            ctx.emitter,
            init.actor,
            deriveSeed(init.spec.seed, init.actor),
          );
        }
      }
      this.ctx = ctx;
      this.init = init;
      return null;
    } catch (err) {
      return serializeError(err);
    }
  }

  run(): ActorReport {
    const ctx = this.ctx;
    const init = this.init;
    if (!ctx || !init || !this.scenario) {
      return {
        outcome: { type: 'crashed', error: serializeError(new Error('run() before attach()')) },
        dmesg: [],
      };
    }
    const { machine } = ctx;
    const control = machine.control;
    const ab = machine.actorBase(ctx.index);
    let outcome: ActorOutcome;
    try {
      Atomics.add(control, CONTROL.READY, 1);
      pokeHost(control);
      Atomics.store(machine.actorWords, ab + ACTOR.STATE, ActorState.ATTACHED);
      while (Atomics.load(control, CONTROL.PHASE) === Phase.SETUP) {
        Atomics.wait(control, CONTROL.PHASE, Phase.SETUP, WAIT_SLICE_MS);
      }
      ctx.clock.setEpoch(new Float64Array(machine.buffers.control)[CONTROL_EPOCH_F64]!);
      Atomics.store(machine.actorWords, ab + ACTOR.STATE, ActorState.RUNNING);
      if (ctx.cpu) {
        const cpu = ctx.cpu;
        cpu.checkAbort();
        let program: unknown;
        try {
          program = this.scenario.cpuProgram(
            cpu.id,
            init.options as unknown as RunOptions,
            init.params,
          );
        } finally {
          Atomics.add(control, CONTROL.CLIENTS_DONE, 1);
          pokeHost(control);
        }
        // A CPU whose program ended still takes the interrupts routed to it.
        Atomics.store(machine.actorWords, ab + ACTOR.STATE, ActorState.IDLE);
        cpu.idle(() => Atomics.load(control, CONTROL.PHASE) >= Phase.SHUTDOWN, Infinity);
        outcome = { type: 'ok', program };
      } else {
        this.engine?.run();
        outcome = { type: 'ok', program: null };
      }
      Atomics.store(machine.actorWords, ab + ACTOR.STATE, ActorState.EXITED);
    } catch (err) {
      if (err instanceof RunAborted) {
        outcome = { type: 'aborted', reason: err.reason };
        Atomics.store(machine.actorWords, ab + ACTOR.STATE, ActorState.EXITED);
      } else {
        // Tell every other actor to stop before reporting: the run is over.
        Atomics.store(control, CONTROL.FAILED, ctx.index + 1);
        Atomics.store(machine.actorWords, ab + ACTOR.STATE, ActorState.CRASHED);
        outcome = { type: 'crashed', error: serializeError(err) };
      }
      pokeHost(control);
    }
    const report: ActorReport = { outcome, dmesg: ctx.dmesg };
    setCurrentActor(null);
    this.ctx = null;
    this.engine = null;
    return report;
  }
}
