/** One benchmark figure: the median of its repetitions, with its unit and spread. */
export interface Figure {
  value: number;
  unit: string;
  /** Every repetition's value, for the spread. */
  samples: number[];
}

/** Median of a non-empty list. */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Runs `once` `reps` times (after `warmup` discarded runs) and keeps the median. */
export async function measure(
  unit: string,
  reps: number,
  warmup: number,
  once: () => Promise<number>,
): Promise<Figure> {
  for (let i = 0; i < warmup; i++) await once();
  const samples: number[] = [];
  for (let i = 0; i < reps; i++) samples.push(await once());
  return { value: median(samples), unit, samples };
}

/** 1234567 -> "1.23 M". */
export function human(v: number): string {
  if (v >= 1e9) return `${(v / 1e9).toFixed(2)} G`;
  if (v >= 1e6) return `${(v / 1e6).toFixed(2)} M`;
  if (v >= 1e3) return `${(v / 1e3).toFixed(1)} k`;
  return v.toFixed(2);
}
