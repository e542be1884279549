import { DmasimError, getComposite } from '../../index.js';
import type { ExitCode } from '../exit-codes.js';
import type { Output } from '../io.js';

/** A parsed `dmasim run <composite>`. */
export interface CompositeRequest {
  scenario: string;
  /** Raw CLI values keyed by ParamDef.key; the composite converts and checks them. */
  options: Record<string, string>;
  json: boolean;
}

/**
 * `dmasim run <composite>`: runs the composite and prints its table, or with --json exactly
 * its JSON object. Bad options throw DMASIM_BAD_OPTION (the caller maps them to exit 2).
 * @returns the composite's own exit code: 0 every cell as expected, 1 not, 3 internal error
 */
export async function runCompositeCommand(req: CompositeRequest, io: Output): Promise<ExitCode> {
  const composite = getComposite(req.scenario);
  if (!composite) {
    // The parser only passes names the registry knows.
    throw new DmasimError('DMASIM_INTERNAL', `composite '${req.scenario}' vanished after parsing`);
  }
  const result = await composite.run({ ...req.options });
  io.out(req.json ? `${JSON.stringify(result.json, null, 2)}\n` : result.text);
  if (result.exitCode === 3) {
    io.err(`dmasim: internal error: ${composite.name} failed (exit 3); see its output\n`);
  }
  return result.exitCode;
}
