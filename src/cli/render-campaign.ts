import type { CampaignSummary } from '../index.js';

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** A campaign summary as text: counts, kinds, distinct failures and their replay files. */
export function renderCampaign(s: CampaignSummary): string {
  const how = s.mode === 'controlled' ? `controlled, ${s.strategy}` : s.mode;
  const last = s.seed + s.plannedRuns - 1;
  const slice = s.shards
    ? `, shards ${s.shards.join(', ')} of ${s.shard?.count}`
    : s.shard
      ? `, shard ${s.shard.index}/${s.shard.count}`
      : '';
  const lines = [
    `campaign ${s.scenario} (${how}): seeds ${s.seed}..${last}${slice}, ${plural(s.workers, 'worker')}`,
    `runs ${s.runs}: ${s.passes} passed, ${s.failures} failed` +
      `${s.crashes > 0 ? ` (${s.crashes} crashed)` : ''} in ${(s.durationMs / 1000).toFixed(1)} s, ` +
      `${s.runsPerSecond.toFixed(1)} runs/s`,
  ];
  if (s.interrupted) lines.push('interrupted: runs in flight were stopped and are not counted');
  if (s.stoppedEarly) lines.push('stopped at the first failing run (--stop-on-first)');
  const kinds = Object.entries(s.byKind);
  if (kinds.length > 0) {
    const w = Math.max(...kinds.map(([k]) => k.length));
    lines.push('failing runs by kind:', ...kinds.map(([k, n]) => `  ${k.padEnd(w)}  ${n}`));
  }
  if (s.distinct > 0) {
    lines.push(`distinct failures: ${s.distinct}`);
    for (const d of s.failuresBySignature) {
      lines.push(
        `  ${d.signature}: ${plural(d.runs, 'run')}, first seed ${d.firstSeed}: ${d.message}`,
      );
      if (d.replayFile) lines.push(`    replay: dmasim replay ${d.replayFile}`);
    }
  }
  const f = s.firstFailure;
  if (f) {
    const when =
      s.timeToFirstFailureMs !== null
        ? ` after ${(s.timeToFirstFailureMs / 1000).toFixed(2)} s${s.runsToFirstFailure !== null ? ` and ${plural(s.runsToFirstFailure, 'run')}` : ''}`
        : '';
    lines.push(`first failure: seed ${f.seed} (${f.kind})${when}`);
    if (f.replayFile) lines.push(`replay file: ${f.replayFile} (dmasim replay ${f.replayFile})`);
  } else if (!s.interrupted) {
    lines.push('no run failed');
  }
  return `${lines.join('\n')}\n`;
}
