// Helpers of the Evaluate view (issue 7): figures as people read them, the query texts of a
// query set by item id, errors a person can act on, and the engine's SVG chart turned into an
// inert image. No page state here.

import type { Explained } from './errors';
import { explainRun } from './errors';
import type { Comparison, EvalReport, Metric, QuerySet } from './evaltypes';

/** A rate as a percentage with one decimal: `66.7%`. */
export function pct(m: Metric | number): string {
  const v = typeof m === 'number' ? m : m.mean;
  return `${(v * 100).toFixed(1)}%`;
}

/** A rate's 95% interval: `[33.3, 100.0]`. */
export function interval(m: Metric, scale = 100, digits = 1): string {
  return `[${(m.low * scale).toFixed(digits)}, ${(m.high * scale).toFixed(digits)}]`;
}

/** A metric's words, from the report (the engine's one label set: src/eval/labels.rs). */
export function metricLabel(report: EvalReport, id: string): string {
  return report.labels?.metrics?.[id] ?? id;
}

/** A statistical test's words, from the report. */
export function testLabel(report: EvalReport, id: string): string {
  return report.labels?.tests?.[id] ?? id;
}

/** A comparison's difference and interval: percentage points for rates, tokens as is. */
export function difference(c: Comparison): { value: string; interval: string } {
  const tokens = c.metric === 'tokensPerItem';
  const scale = tokens ? 1 : 100;
  const digits = tokens ? 0 : 1;
  const unit = tokens ? '' : ' pp';
  const sign = (x: number) => `${x > 0 ? '+' : x < 0 ? '−' : '±'}${Math.abs(x * scale).toFixed(digits)}`;
  return { value: `${sign(c.difference)}${unit}`, interval: `[${sign(c.low)}, ${sign(c.high)}]` };
}

export function pValue(p: number): string {
  if (!Number.isFinite(p)) return '–';
  return p < 0.001 ? '< 0.001' : p.toFixed(3);
}

/**
 * The query of each item by its id, from the query set as the engine read it
 * (`parseQueries`, the one parser: src/eval/queries.rs).
 */
export function queryTexts(set: Pick<QuerySet, 'items'>): Map<string, string> {
  return new Map(set.items.map((i) => [i.id, i.query]));
}

/** True when `value` has the shape of an evaluation report (a file a person opens). */
export function isEvalReport(value: unknown): value is EvalReport {
  if (!value || typeof value !== 'object') return false;
  const r = value as Record<string, unknown>;
  return (
    Array.isArray(r.versions) && Array.isArray(r.comparisons) && Array.isArray(r.skipped) && typeof r.items === 'number'
  );
}

interface Named {
  name?: string;
  message?: string;
}

const QUERY_FORMAT =
  'A query set is either JSONL, one object a line: {"query": "…", "gold": ["operation name or id", …]} (optional "id", "candidates", "args"), or the DRAFT paper\'s ToolBench/RestBench JSON (an array of items with "query" and "relevant APIs").';

/** Explains an evaluation failure; model and tool endpoints are probed when the network failed. */
export async function explainEval(e: Named, endpoints: { llm?: string; tool?: string }): Promise<Explained> {
  const name = e.name ?? 'Error';
  const message = e.message ?? String(e);
  switch (name) {
    case 'EmptyQuerySet':
      return {
        title: 'The query set is empty',
        message: 'There are no queries to evaluate.',
        hints: ['Paste queries or load a query set file.', QUERY_FORMAT],
      };
    case 'InvalidQuerySet': {
      const line = /line (\d+)/.exec(message)?.[1];
      return {
        title: 'The query set cannot be read',
        message,
        hints: [
          line
            ? `Fix line ${line} of the query set.`
            : 'Fix the place the message names (a JSON pointer: each / goes one level down).',
          QUERY_FORMAT,
        ],
      };
    }
    case 'DifferentTools':
      return {
        title: 'These documents are not versions of the same tool',
        message,
        hints: [
          "Every version must document the same tool: most operation names must match the first version's.",
          'Check which document each version slot holds (its source, the pasted text or the file).',
        ],
      };
    case 'NoUsableItems':
      return {
        title: 'None of the queries can be scored against these documents',
        message,
        hints: [
          'Each query\'s "gold" operations (and "candidates", if given) must be operations of every version, by id or name.',
          'Compare the names in the query set with the operations in the Document view.',
        ],
      };
    case 'NoVersions':
      return { title: 'No documents to evaluate', message, hints: ['Fill at least two version slots.'] };
    case 'InvalidConfig':
    case 'InvalidArgument':
      return { title: 'The settings are not valid', message, hints: ['Check the model and tool target settings.'] };
    case 'Aborted':
      return {
        title: 'The evaluation was cancelled',
        message,
        hints: ['Start it again when you are ready; cached answers are not kept between runs.'],
      };
    default:
      break;
  }
  const label = /^docs "([^"]*)": /.exec(message)?.[1];
  if (label !== undefined) {
    const at = /line (\d+),? column (\d+)/i.exec(message);
    return {
      title: `The document of version "${label}" cannot be read`,
      message,
      hints: [
        at
          ? `Go to line ${at[1]}, column ${at[2]} of that version's text.`
          : "Check that version's text: it must be a tool document (OpenAPI, MCP, OpenAI/Anthropic tools, ToolBench, RestBench).",
      ],
    };
  }
  return explainRun({ name, message }, endpoints);
}

/**
 * The engine's SVG chart as a `data:` URL for an <img>: parsed as image/svg+xml (inert: a
 * parsed document runs nothing), anything active dropped (scripts, foreign objects, event
 * handlers, links) although the engine writes none, and its text colour set to the page's so
 * it reads in both themes. An <img> never runs scripts, and the page's CSP allows data: images.
 */
export function chartUrl(svg: string, textColor: string): string {
  const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
  const root = doc.documentElement;
  if (root.localName !== 'svg' || doc.getElementsByTagName('parsererror').length)
    throw new Error('the chart is not valid SVG');
  for (const el of Array.from(doc.querySelectorAll('script, foreignObject, a, iframe, image, use'))) el.remove();
  for (const el of Array.from(doc.querySelectorAll('*'))) {
    for (const a of Array.from(el.attributes)) {
      if (/^on/i.test(a.name) || /href$/i.test(a.name)) el.removeAttribute(a.name);
    }
  }
  root.setAttribute('color', textColor);
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(new XMLSerializer().serializeToString(root))}`;
}

/** A short text alternative of the chart (the tables below hold every figure). */
export function chartAlt(report: EvalReport): string {
  return `Bar chart of scores per documentation version: ${report.versions.map((v) => `${v.label}: CP ${pct(v.cp)}, selection ${pct(v.selection)}, valid arguments ${pct(v.argsValid)}`).join('; ')}.`;
}
