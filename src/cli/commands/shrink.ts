import { DmasimError } from '../../index.js';
import type { ExitCode } from '../exit-codes.js';
import type { Output } from '../io.js';

/** A parsed `dmasim shrink`. */
export interface ShrinkRequest {
  file: string;
  options: Record<string, string>;
  json: boolean;
}

/** `dmasim shrink FILE`: minimises a failing controlled schedule. */
export function shrinkCommand(req: ShrinkRequest, io: Output): Promise<ExitCode> {
  void io;
  return Promise.reject(new DmasimError('DMASIM_INTERNAL', `shrink ${req.file}: not built yet`));
}
