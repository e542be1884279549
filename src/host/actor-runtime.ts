import { ACTOR, ActorState, CONTROL, CONTROL_EPOCH_F64, Phase } from '../shm/control-block.js';
import { LAYOUT_SIGNATURE, Machine } from '../shm/machine.js';
import { Cpu } from '../kernel/cpu.js';
import { setCurrentActor, type ActorContext } from '../kernel/current.js';
import { resetInterrupts } from '../kernel/interrupts.js';
import { RunAborted } from '../sched/run-aborted.js';
import { WAIT_SLICE_MS } from '../sched/wait-slices.js';
import { createScheduler } from '../sched/create.js';
import { SchedView } from '../sched/sched-view.js';
import { WallClock } from '../sched/run-clock.js';
import { abortAll } from '../sched/token.js';
import { Point } from '../sched/labels.js';
import { WaitFlag, WaitOp } from '../sched/wait-spec.js';
import { EventEmitter } from '../events/emitter.js';
import { dmaAsyncDeviceRegister, resetDmaDevices } from '../dmaengine/device-list.js';
import { loadProvider } from '../providers/registry.js';
import { loadPeripheral } from '../peripherals/registry.js';
import { mmioAttach } from '../platform/mmio.js';
import { DmaPort } from '../platform/dma-port.js';
import { getScenario } from '../scenarios/registry.js';
import type { Scenario } from '../scenarios/scenario.js';
import type { RunOptions } from '../scenarios/run-options.js';
import { DmasimError, serializeError, type SerializedError } from '../errors.js';
import type { ActorInit, ActorOutcome, ActorReport } from './protocol.js';
import { cpuProgramResultError, importScenario } from './scenario-module.js';
import { ActorProfile } from './actor-profile.js';
import { KernelBug, makeTaskDead } from '../kernel/report/bug.js';

/**
 * Runs `fn` on `cpu` until a BUG() ends it: the oops kills the task (make_task_dead()) and
 * the CPU goes on.
 * @returns what `fn` returned, or null after a BUG
 */
function untilBug<T>(cpu: Cpu, fn: () => T): T | null {
  try {
    return fn();
  } catch (err) {
    if (!(err instanceof KernelBug)) throw err;
    makeTaskDead(cpu);
    return null;
  }
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
  /** The hardware's life, when this actor is an engine or a peripheral. */
  private hardware: (() => void) | null = null;
  private profile: ActorProfile | null = null;

  async attach(init: ActorInit): Promise<SerializedError | null> {
    this.profile = ActorProfile.start(init.cpuProfileDir);
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
      const schedView = new SchedView(machine);
      const sched = createScheduler(schedView, init.actor, () => pokeHost(machine.control));
      const clock = sched.clock;
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
        sched,
        schedView,
        cpu: a.kind === 'cpu' ? new Cpu(machine, a.index, sched, schedView) : null,
        dmesg: [],
      };
      setCurrentActor(ctx);
      // Every thread probes every controller's driver, as every CPU sees every device.
      for (const dev of init.spec.devices) {
        const provider = await loadProvider(dev.provider, dev.module);
        const probeEnv = { view: schedView, machine, dev };
        const ret = dmaAsyncDeviceRegister(provider.probe(probeEnv));
        if (ret < 0)
          throw new DmasimError(
            'DMASIM_BAD_OPTION',
            `${dev.name}: dma_async_device_register() of provider '${dev.provider}' failed (${ret}): see its printk lines`,
          );
        if (a.kind === 'engine' && dev.index === a.index && provider.engine) {
          const engineEnv = {
            ...probeEnv,
            sched,
            emitter: ctx.emitter,
            actor: init.actor,
            seed: init.spec.seed,
          };
          this.hardware = () => provider.engine!(engineEnv);
        }
      }
      // Every thread decodes every peripheral's registers, as every CPU and engine sees the bus.
      const models = await Promise.all(
        init.spec.peripherals.map((p) => loadPeripheral(p.peripheral, p.module)),
      );
      mmioAttach(
        schedView,
        models.map((m) => m.mmio ?? null),
      );
      if (a.kind === 'peripheral') {
        const spec = init.spec.peripherals[a.index]!;
        const model = models[a.index]!;
        const env = {
          view: schedView,
          machine,
          spec,
          sched,
          emitter: ctx.emitter,
          actor: init.actor,
          seed: init.spec.seed,
          port: spec.port >= 0 ? new DmaPort(schedView, spec.port) : null,
        };
        this.hardware = () => model.run(env);
      }
      this.ctx = ctx;
      this.init = init;
      return null;
    } catch (err) {
      this.profile.finish(init.spec.actors[init.actor]?.name ?? `actor${init.actor}`);
      this.profile = null;
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
    const { machine, sched } = ctx;
    const control = machine.control;
    const ab = machine.actorBase(ctx.index);
    let outcome: ActorOutcome;
    try {
      Atomics.add(control, CONTROL.READY, 1);
      pokeHost(control);
      Atomics.store(machine.actorWords, ab + ACTOR.STATE, ActorState.ATTACHED);
      // The start barrier is the host's, outside any schedule: it notifies PHASE.
      while (Atomics.load(control, CONTROL.PHASE) === Phase.SETUP) {
        Atomics.wait(control, CONTROL.PHASE, Phase.SETUP, WAIT_SLICE_MS);
      }
      if (ctx.clock instanceof WallClock) {
        ctx.clock.setEpoch(new Float64Array(machine.buffers.control)[CONTROL_EPOCH_F64]!);
      }
      Atomics.store(machine.actorWords, ab + ACTOR.STATE, ActorState.RUNNING);
      sched.start();
      const program = ctx.cpu ? this.runCpu(ctx.cpu, init) : (this.hardware?.(), null);
      Atomics.store(machine.actorWords, ab + ACTOR.STATE, ActorState.EXITED);
      sched.exit();
      outcome = { type: 'ok', program };
    } catch (err) {
      sched.detach();
      if (err instanceof RunAborted) {
        outcome = { type: 'aborted', reason: err.reason };
        Atomics.store(machine.actorWords, ab + ACTOR.STATE, ActorState.EXITED);
      } else {
        // Tell every other actor to stop before reporting: the run is over.
        Atomics.store(control, CONTROL.FAILED, ctx.index + 1);
        Atomics.store(machine.actorWords, ab + ACTOR.STATE, ActorState.CRASHED);
        abortAll(ctx.schedView);
        outcome = { type: 'crashed', error: serializeError(err) };
      }
      pokeHost(control);
    }
    const report: ActorReport = { outcome, dmesg: ctx.dmesg };
    if (this.profile) report.usage = this.profile.finish(ctx.name);
    this.profile = null;
    setCurrentActor(null);
    this.ctx = null;
    this.hardware = null;
    return report;
  }

  /**
   * A CPU's life: its program, then serving the interrupts routed to it until the run
   * shuts down. The CPU whose program ends last shuts the run down itself, at its own step
   * of the schedule, so that no host timing enters a controlled run.
   */
  private runCpu(cpu: Cpu, init: ActorInit): unknown {
    const { machine } = cpu;
    const control = machine.control;
    const ab = machine.actorBase(cpu.actorIndex);
    cpu.checkAbort();
    const scenario = this.scenario!;
    const program = untilBug(cpu, () =>
      scenario.cpuProgram(cpu.id, init.options as unknown as RunOptions, init.params),
    );
    const wrong = cpuProgramResultError(program);
    if (wrong) {
      // The run crashes on it below; a rejection of its own must not end the thread too.
      if (program instanceof Promise) program.catch(() => undefined);
      throw new DmasimError(
        'DMASIM_ACTOR_CRASHED',
        `scenario '${scenario.name}': cpuProgram of cpu${cpu.id} returned ${wrong}; ` +
          'it must return structured-clonable data (what JSON holds, typed arrays, Maps, ...) synchronously',
      );
    }
    const done = Atomics.add(control, CONTROL.CLIENTS_DONE, 1) + 1;
    if (done === machine.spec.cpus) {
      // RUNNING or STOPPING -> SHUTDOWN; an ABORTED the host set meanwhile stays.
      for (let p = Atomics.load(control, CONTROL.PHASE); p < Phase.SHUTDOWN;) {
        const seen = Atomics.compareExchange(control, CONTROL.PHASE, p, Phase.SHUTDOWN);
        if (seen === p) {
          cpu.schedView.wakeAll();
          break;
        }
        p = seen;
      }
    }
    pokeHost(control);
    Atomics.store(machine.actorWords, ab + ACTOR.STATE, ActorState.IDLE);
    // A BUG in an interrupt taken while idle ends nothing more: the CPU idles on.
    while (
      untilBug(cpu, () =>
        cpu.waitWord(
          Point.idle,
          control,
          CONTROL.PHASE,
          WaitOp.GE,
          Phase.SHUTDOWN,
          Infinity,
          WaitFlag.INTERRUPTIBLE,
        ),
      ) === null
    );
    return program;
  }
}
