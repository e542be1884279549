/**
 * A finding of the run. `kind` is a stable kebab-case string scripts match on
 * (`data-corruption`, `api-misuse`, `deadlock`, ...); `message` is one human line; `report`
 * is a kernel-style text block where one exists.
 */
export interface Violation {
  kind: string;
  message: string;
  actor?: string;
  seq?: number;
  time?: number;
  report?: string;
  [detail: string]: unknown;
}
