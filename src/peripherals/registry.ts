import { DmasimError } from '../errors.js';
import type { PeripheralModule } from '../platform/peripheral.js';
import {
  fileOf,
  importExport,
  optionalFn,
  shapeError,
  type ShapeRule,
} from '../platform/module-export.js';
import { fifoPeripheral } from './fifo/peripheral.js';

/** The built-in peripheral models (imported by every actor thread, as providers are). */
export const PERIPHERALS: readonly PeripheralModule[] = [fifoPeripheral];

const SHAPE: readonly ShapeRule<PeripheralModule>[] = [
  ['name', 'a string', (v) => typeof v === 'string' && v.length > 0],
  ['summary', 'a string', (v) => typeof v === 'string'],
  ['options', 'an array of ParamDef', Array.isArray],
  ['words', 'a function', (v) => typeof v === 'function'],
  ['run', 'a function', (v) => typeof v === 'function'],
  ['port', 'a function or absent', optionalFn],
  ['irqLines', 'a function or absent', optionalFn],
  ['format', 'a function or absent', optionalFn],
];

/** What is wrong with a value meant as a PeripheralModule, in one phrase, or null. */
export function peripheralShapeError(value: unknown, what: string): string | null {
  return shapeError(value, what, 'PeripheralModule', SHAPE);
}

/**
 * A peripheral model by name, or the object itself once checked.
 * @throws DmasimError DMASIM_BAD_OPTION as resolveProvider() does
 */
export function resolvePeripheral(p: string | PeripheralModule): PeripheralModule {
  if (typeof p === 'string') {
    const found = PERIPHERALS.find((x) => x.name === p);
    if (!found) {
      throw new DmasimError(
        'DMASIM_BAD_OPTION',
        `unknown peripheral '${p}'; known peripherals: ${PERIPHERALS.map((x) => x.name).join(', ')}`,
      );
    }
    return found;
  }
  const wrong = peripheralShapeError(p, `peripheral '${String((p as { name?: unknown }).name)}'`);
  if (wrong) throw new DmasimError('DMASIM_BAD_OPTION', wrong);
  if (!PERIPHERALS.includes(p) && !p.module) {
    throw new DmasimError(
      'DMASIM_BAD_OPTION',
      `peripheral '${p.name}' is not built in: set its 'module' to the file:// URL of the module exporting it as 'peripheral'`,
    );
  }
  return p;
}

/** The model of a peripheral, in an actor thread (see loadProvider()). */
export async function loadPeripheral(name: string, module?: string): Promise<PeripheralModule> {
  if (!module) return resolvePeripheral(name);
  const value = await importExport(module, 'peripheral');
  const wrong = peripheralShapeError(value, "its 'peripheral' export");
  if (wrong) throw new DmasimError('DMASIM_BAD_OPTION', `${fileOf(module)}: ${wrong}`);
  return value as PeripheralModule;
}
