import type { CompositeResult, RunResult } from '../../index.js';

/** What a step makes of its run: lines to show, and whether the run behaved as expected. */
export interface StepReview {
  lines: string[];
  ok: boolean;
}

/** Options as runScenario() or a composite's run() takes them. */
export type StepOptions = Readonly<Record<string, number | boolean | string>>;

/** What every step has, whatever it runs. */
interface StepText {
  /** One line, shown as the step's heading and in `dmasim showcase --help`. */
  title: string;
  /** 1-3 plain sentences: what the step shows and what to look for. */
  explain: string;
}

/** A step that runs a scenario. */
export interface ScenarioStep extends StepText {
  kind: 'scenario';
  scenario: string;
  /** Run options and scenario parameters. */
  options: StepOptions;
  /** Picks what the run shows; `ok` false when it did not behave as the step expects. */
  review(result: RunResult): StepReview;
}

/** A step that runs a composite (a matrix of runs). */
export interface CompositeStep extends StepText {
  kind: 'composite';
  composite: string;
  /** The composite's own parameters. */
  options: StepOptions;
  /** Picks what the composite shows; `ok` false when it did not behave as expected. */
  review(result: CompositeResult): StepReview;
}

/** One step of `dmasim showcase`: a run, the explanation before it, the review after it. */
export type ShowcaseStep = ScenarioStep | CompositeStep;
