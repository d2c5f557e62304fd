// A run as the app shows it, folded from the engine's events (live, or replayed from
// IndexedDB after a reload) and, once the run ends, its result. Pure functions: no DOM.
//
// The logic lives in the package (pkg/lib/run-report.mjs), shared with the CLI's
// `tooldraft refine --report/--html`, so the app and the CLI read and write runs the same way.

export {
  applyEvent,
  describeOutcome,
  describeTermination,
  describeVerification,
  finalRevision,
  foldEvents,
  mergeReport,
  newRunModel,
  operationsById,
  reviewedDoc,
  revisionFromOperation,
  revisionText,
  revisionsOf,
  sumUsage,
} from '../../pkg/lib/run-report.mjs';
export type {
  Choice,
  Decision,
  OpRun,
  RunModel,
  SchemaChangeLike,
  Trail,
  VerificationRun,
} from '../../pkg/lib/run-report.mjs';
export { describeSchemaChange } from '../../pkg/lib/schema-changes.mjs';
