import { DmasimError } from '../errors.js';
import { fileOf, importExport, shapeError, type ShapeRule } from './module-export.js';

/** What every plug-in has: its name, and the URL of its module unless it is built in. */
interface Plugin {
  readonly name: string;
  module?: string;
}

/**
 * The built-ins of one kind of plug-in (providers, peripheral models) and how a name or an
 * object becomes one: looked up, shape-checked, or imported from its module in a thread.
 */
export class PluginRegistry<T extends Plugin> {
  /**
   * @param kind how messages name one: `provider`, `peripheral`
   * @param type the interface's name: `ProviderModule`
   * @param builtIns in listing order
   * @param rules the members each must have
   */
  constructor(
    readonly kind: string,
    private readonly type: string,
    readonly builtIns: readonly T[],
    private readonly rules: readonly ShapeRule<T>[],
  ) {}

  /** What is wrong with a value meant as one, in one phrase, or null. */
  shapeError(value: unknown, what: string): string | null {
    return shapeError(value, what, this.type, this.rules);
  }

  /**
   * A built-in by name, or the object itself once checked.
   * @throws DmasimError DMASIM_BAD_OPTION for an unknown name (listing the known ones), an
   *   object of the wrong shape, or one that is neither built in nor has a `module`
   */
  resolve(p: string | T): T {
    const kind = this.kind;
    if (typeof p === 'string') {
      const found = this.builtIns.find((x) => x.name === p);
      if (!found) {
        throw new DmasimError(
          'DMASIM_BAD_OPTION',
          `unknown ${kind} '${p}'; known ${kind}s: ${this.builtIns.map((x) => x.name).join(', ')}`,
        );
      }
      return found;
    }
    const wrong = this.shapeError(p, `${kind} '${String((p as { name?: unknown }).name)}'`);
    if (wrong) throw new DmasimError('DMASIM_BAD_OPTION', wrong);
    if (!this.builtIns.includes(p) && !p.module) {
      throw new DmasimError(
        'DMASIM_BAD_OPTION',
        `${kind} '${p.name}' is not built in: set its 'module' to the file:// URL of the module exporting it as '${kind}'`,
      );
    }
    return p;
  }

  /**
   * One in an actor thread: a built-in by name, else the `<kind>` export of its module
   * (import() caches it per thread and URL).
   * @throws DmasimError DMASIM_BAD_OPTION naming the file when it does not load or exports
   *   none of the right shape
   */
  async load(name: string, module?: string): Promise<T> {
    if (!module) return this.resolve(name);
    const value = await importExport(module, this.kind);
    const wrong = this.shapeError(value, `its '${this.kind}' export`);
    if (wrong) throw new DmasimError('DMASIM_BAD_OPTION', `${fileOf(module)}: ${wrong}`);
    return value as T;
  }
}
