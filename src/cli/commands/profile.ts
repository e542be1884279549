import { DmasimError } from '../../index.js';
import type { ExitCode } from '../exit-codes.js';
import type { Output } from '../io.js';

/** A parsed `dmasim profile`. */
export interface ProfileRequest {
  scenario: string;
  options: Record<string, string>;
  json: boolean;
}

/** `dmasim profile <scenario>`: profiles one run. */
export function profileCommand(req: ProfileRequest, io: Output): Promise<ExitCode> {
  void io;
  return Promise.reject(
    new DmasimError('DMASIM_INTERNAL', `profile ${req.scenario}: not built yet`),
  );
}
