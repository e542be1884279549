import type { PeripheralModule } from '../platform/peripheral.js';
import { optionalFn } from '../platform/module-export.js';
import { PluginRegistry } from '../platform/plugin-registry.js';
import { fifoPeripheral } from './fifo/peripheral.js';
import { qcePeripheral } from './qce/peripheral.js';

/** The built-in peripheral models (imported by every actor thread, as providers are). */
export const PERIPHERALS: readonly PeripheralModule[] = [fifoPeripheral, qcePeripheral];

const REGISTRY = new PluginRegistry<PeripheralModule>(
  'peripheral',
  'PeripheralModule',
  PERIPHERALS,
  [
    ['name', 'a string', (v) => typeof v === 'string' && v.length > 0],
    ['summary', 'a string', (v) => typeof v === 'string'],
    ['options', 'an array of ParamDef', Array.isArray],
    ['words', 'a function', (v) => typeof v === 'function'],
    ['run', 'a function', (v) => typeof v === 'function'],
    ['port', 'a function or absent', optionalFn],
    ['irqLines', 'a function or absent', optionalFn],
    ['format', 'a function or absent', optionalFn],
    [
      'mmio',
      'an object with write() and read(), or absent',
      (v) =>
        v === undefined ||
        (typeof v === 'object' &&
          v !== null &&
          typeof (v as { write?: unknown }).write === 'function' &&
          typeof (v as { read?: unknown }).read === 'function'),
    ],
  ],
);

/** What is wrong with a value meant as a PeripheralModule, in one phrase, or null. */
export function peripheralShapeError(value: unknown, what: string): string | null {
  return REGISTRY.shapeError(value, what);
}

/**
 * A peripheral model by name, or the object itself once checked.
 * @throws DmasimError DMASIM_BAD_OPTION as resolveProvider() does
 */
export function resolvePeripheral(p: string | PeripheralModule): PeripheralModule {
  return REGISTRY.resolve(p);
}

/** The model of a peripheral, in an actor thread (see loadProvider()). */
export function loadPeripheral(name: string, module?: string): Promise<PeripheralModule> {
  return REGISTRY.load(name, module);
}
