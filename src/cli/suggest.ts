/** Levenshtein distance, enough for short flag and command names. */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row.push(Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost));
    }
    prev = row;
  }
  return prev[b.length]!;
}

/** Lower-case and kebab-case, so that `threadsPerChan` finds `threads-per-chan`. */
function normalize(word: string): string {
  return word
    .replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)
    .replace(/_/g, '-')
    .toLowerCase();
}

/**
 * The candidate closest to a mistyped `word`, if one is close enough to be a likely typo.
 * @param word what the user typed (without dashes)
 * @param candidates the valid names
 */
export function suggest(word: string, candidates: readonly string[]): string | undefined {
  const w = normalize(word);
  let best: string | undefined;
  let bestDistance = Math.max(1, Math.floor(w.length / 3)) + 1;
  for (const c of candidates) {
    const d = distance(w, c);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}
