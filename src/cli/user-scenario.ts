import { isModulePath, loadScenarioModule, scenarioOptionDefs, type Scenario } from '../index.js';
import { parseArgv } from './argv.js';
import type { Catalog } from './catalog.js';

/** A command line's catalog, with the user scenario module it names loaded into it. */
export interface WithUserScenario {
  catalog: Catalog;
  /** The loaded scenario, named by its path as the command line gave it, or null. */
  scenario: Scenario | null;
}

/**
 * Loads the scenario module a command line names by path (`dmasim run ./x.ts`, campaign,
 * profile, `help run ./x.ts`), so that the parser knows its flags. The path is found by
 * the parser itself, with a catalog that records the module paths it looks up.
 * @throws DmasimError DMASIM_BAD_OPTION naming the file when the module cannot be used
 */
export async function withUserScenario(
  argv: readonly string[],
  catalog: Catalog,
): Promise<WithUserScenario> {
  let path: string | undefined;
  parseArgv(argv, {
    ...catalog,
    scenario: (name) => {
      if (!isModulePath(name)) return catalog.scenario(name);
      path ??= name;
      return { name, params: [] };
    },
  });
  if (path === undefined) return { catalog, scenario: null };
  const named = path;
  const loaded = await loadScenarioModule(named);
  // Commands carry the path as the scenario; the library loads it again (import() caches it).
  const scenario: Scenario = { ...loaded, name: named };
  return {
    catalog: {
      ...catalog,
      scenario: (name) =>
        name === named ? { name, params: scenarioOptionDefs(loaded) } : catalog.scenario(name),
    },
    scenario,
  };
}
