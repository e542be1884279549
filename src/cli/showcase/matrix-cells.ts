/** The fields of a matrix cell the showcase reads (a composite's json.matrix). */
export interface CellSummary {
  variant: string;
  callbackContext: string;
  ok: boolean;
}

function isCellSummary(v: unknown): v is CellSummary {
  if (typeof v !== 'object' || v === null) return false;
  const c = v as Record<string, unknown>;
  return (
    typeof c.variant === 'string' &&
    typeof c.callbackContext === 'string' &&
    typeof c.ok === 'boolean'
  );
}

/** The cells of a composite's JSON result; [] when they are not there. */
export function matrixCells(json: Readonly<Record<string, unknown>>): CellSummary[] {
  const matrix = json.matrix;
  return Array.isArray(matrix) ? matrix.filter(isCellSummary) : [];
}
