import type { RunResult } from '../../index.js';

/** What a step makes of its run: lines to show, and whether the run behaved as expected. */
export interface StepReview {
  lines: string[];
  ok: boolean;
}

/** One step of `dmasim showcase`: a run, the explanation before it, the review after it. */
export interface ShowcaseStep {
  /** One line, shown as the step's heading and in `dmasim showcase --help`. */
  title: string;
  /** 1-3 plain sentences: what the step shows and what to look for. */
  explain: string;
  scenario: string;
  /** Run options and scenario parameters, as runScenario() takes them. */
  options: Readonly<Record<string, number | boolean | string>>;
  /** Picks what the run shows; `ok` false when it did not behave as the step expects. */
  review(result: RunResult): StepReview;
}
