import { ACTOR, ActorState } from '../shm/control-block.js';
import { CPU, CPU_CONTEXT_NAMES, HeldState, MAX_HELD_LOCKS } from '../shm/cpu-struct.js';
import { lockClassName } from '../kernel/lock-class.js';
import { ActorSchedState, SCHED_ACTOR } from '../shm/sched-struct.js';
import { pointName } from '../sched/labels.js';
import type { SchedView } from '../sched/sched-view.js';

const STATE_NAMES = Object.fromEntries(
  Object.entries(ActorState).map(([k, v]) => [v, k.toLowerCase()]),
);

/** `, waiting in wait_event (until 5000.000 ms)` for an actor inside a wait; '' otherwise. */
function waiting(view: SchedView, a: number): string {
  if (view.state(a) !== ActorSchedState.BLOCKED) return '';
  const label = pointName(view.i32[view.base[a]! + SCHED_ACTOR.LABEL]!);
  const until = view.deadline(a);
  return `, waiting in ${label} (${until === Infinity ? 'no timeout' : `until ${until.toFixed(3)} ms`})`;
}

/**
 * What every actor was doing when the watchdog fired: its state and the wait it is in, and
 * for a CPU its context, interrupt state and the locks it holds — read from shared memory,
 * so it is the truth even for an actor that no longer answers.
 */
export function describeActors(view: SchedView): string {
  const machine = view.machine;
  const lines: string[] = [];
  machine.spec.actors.forEach((a, i) => {
    const state =
      (STATE_NAMES[machine.actorWords[machine.actorBase(i) + ACTOR.STATE]!] ?? '?') +
      waiting(view, i);
    if (a.kind === 'engine') {
      lines.push(`  ${a.name} (engine): ${state}`);
      return;
    }
    const w = machine.cpus;
    const b = machine.cpuBase(a.index);
    const held = Math.min(w[b + CPU.HELD_COUNT]!, MAX_HELD_LOCKS);
    const locks = Array.from(
      { length: held },
      (_, k) =>
        `${lockClassName(w[b + CPU.HELD_CLASS + k]!)} (lock ${w[b + CPU.HELD + k]!}, taken in ${CPU_CONTEXT_NAMES[w[b + CPU.HELD_STATE + k]! & HeldState.CONTEXT_MASK] ?? '?'})`,
    );
    lines.push(
      `  ${a.name}: ${state}, ${CPU_CONTEXT_NAMES[w[b + CPU.CONTEXT]!] ?? '?'} context, ` +
        `irqs ${w[b + CPU.IRQ_DISABLED] ? 'off' : 'on'}, bh ${w[b + CPU.BH_DISABLED] ? 'off' : 'on'}, ` +
        `holds ${locks.length ? locks.join(', ') : 'no lock'}`,
    );
  });
  return lines.join('\n');
}
