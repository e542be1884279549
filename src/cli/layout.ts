/** Splits `text` into lines of at most `width` characters, at spaces. */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  if (line !== '' || lines.length === 0) lines.push(line);
  return lines;
}

/** The widest term a definition list keeps beside its description. */
const MAX_TERM = 26;

/** The term column width that fits every term of `rows` (up to MAX_TERM). */
export function termWidth(rows: readonly (readonly [string, string])[]): number {
  return Math.min(MAX_TERM, Math.max(0, ...rows.map(([t]) => t.length)));
}

/**
 * Two columns: terms padded to a common width, descriptions wrapped beside them. A term too
 * wide for the column gets its description on the next line.
 * @param width total line width
 * @param terms term column width (default: fit these rows), to align several lists
 */
export function definitionList(
  rows: readonly (readonly [string, string])[],
  indent = 2,
  width = 100,
  terms = termWidth(rows),
): string[] {
  const column = terms + 2;
  const pad = ' '.repeat(indent + column);
  const out: string[] = [];
  for (const [term, text] of rows) {
    const body = wrap(text, Math.max(20, width - indent - column));
    if (term.length > terms) {
      out.push(' '.repeat(indent) + term);
      out.push(...body.map((l) => pad + l));
    } else {
      out.push(' '.repeat(indent) + term.padEnd(column) + body[0]!);
      out.push(...body.slice(1).map((l) => pad + l));
    }
  }
  return out;
}

/**
 * A plain-text table. Columns whose every cell is numeric are right-aligned.
 * @param header column titles
 * @param rows cells, one array per row
 */
export function table(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  indent = 2,
): string[] {
  const numeric = header.map((_, c) => rows.every((r) => /^-?[\d.]+$/.test(r[c] ?? '')));
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    ' '.repeat(indent) +
    cells
      .map((cell, c) => (numeric[c] ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map((r) => line(header.map((_, c) => r[c] ?? '')))];
}

/** Indents every line of a multi-line block. */
export function indentBlock(block: string, indent: number): string[] {
  const pad = ' '.repeat(indent);
  return block
    .replace(/\n+$/, '')
    .split('\n')
    .map((l) => (l === '' ? '' : pad + l));
}
