/**
 * Declares a fixed layout of 32-bit words once: named offsets, the word count and the
 * byte size, so that every buffer is built from the declaration and never from a literal.
 */
export type Layout<F extends string> = { readonly [K in F]: number } & {
  /** Words one instance occupies, padding included. */
  readonly WORDS: number;
  /** Bytes one instance occupies. */
  readonly BYTES: number;
};

/**
 * Builds a layout from field names, each one Int32 word, in declaration order.
 * @param names field names
 * @param arrays trailing fields that span several words (name -> word count)
 * @param align pads WORDS to a multiple of this (e.g. 16 words = one 64-byte cache line)
 */
export function defineLayout<const F extends string, const A extends string = never>(
  names: readonly F[],
  arrays: { readonly [K in A]: number } = {} as { readonly [K in A]: number },
  align = 1,
): Layout<F | A> {
  const entries: [string, number][] = [];
  for (const name of [...names, ...Object.keys(arrays)]) {
    // WORDS and BYTES are the layout's own size: a field of that name would be overwritten.
    if (name === 'WORDS' || name === 'BYTES')
      throw new Error(`defineLayout: field ${name} is reserved`);
  }
  let at = 0;
  for (const name of names) entries.push([name, at++]);
  for (const [name, words] of Object.entries<number>(arrays)) {
    entries.push([name, at]);
    at += words;
  }
  const words = Math.ceil(at / align) * align;
  entries.push(['WORDS', words], ['BYTES', words * 4]);
  // Built in one go: an object grown key by key past a few dozen keys falls into V8's
  // dictionary mode, and every `DESC.FIELD` on the hot path would become a hash lookup.
  const record: Record<string, number> = Object.fromEntries(entries);
  const layout = record as Layout<F | A>;
  Object.freeze(layout);
  return layout;
}

/** Rounds `n` up to a multiple of `align` (a power of two). Arithmetic, not bitwise: an
 * address near 2 GiB must not wrap to a negative int32. */
export function alignUp(n: number, align: number): number {
  return Math.ceil(n / align) * align;
}
