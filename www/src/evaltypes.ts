// The evaluation's shapes, straight from the package's typed API (pkg/index.d.ts, section
// "Evaluation"): type-only, so nothing of the package is bundled from here.

export type {
  Comparison,
  DocChanges,
  EvalItemResult,
  EvalProgress,
  EvalReport,
  EvaluateOptions,
  Metric,
  OperationChange,
  QuerySet,
  VersionScores,
} from '../../pkg/index.js';

import type { DocChanges, EvalProgress, EvalReport, EvaluateOptions, QuerySet } from '../../pkg/index.js';

/** The package's evaluation functions, as the worker reads them (absent in older builds). */
export interface EvalApi {
  evaluate(
    options: EvaluateOptions,
    runOptions?: { signal?: AbortSignal; onProgress?: (progress: EvalProgress) => void },
  ): Promise<EvalReport>;
  evaluationChart(report: EvalReport): string;
  evaluationHtml(report: EvalReport): string;
  compareDocs(before: string, after: string): DocChanges;
  parseQueries(text: string): QuerySet;
}
