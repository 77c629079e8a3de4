/**
 * One playbook's YAML text to a checked PlaybookSpec, or the list of problems with their lines. Never
 * throws on what a file holds: playbooks are edited by hand and one typo must not stop start-up.
 * Also used to re-read the exact stored version a run was started with (by its hash).
 */
import { formatPath, issuePath, parseYaml, type YamlPath } from '../../yaml-document.js';
import { PLAYBOOK_LIMITS, playbookSchema, type PlaybookSpec, type StepSpec, stepSchema } from './schema.js';
import { TemplateError, templatePaths } from './template.js';

export interface PlaybookLoadError {
  /** Path of the file (or directory) at fault. */
  file: string;
  /** The playbook's name, when it got that far. */
  playbook?: string | undefined;
  /** 1-based line in the file, where known. */
  line?: number | undefined;
  message: string;
}

/** YAML aliases can multiply a small file into a huge object (billion laughs); playbooks need few. */
const MAX_ALIAS_COUNT = 100;

type Path = YamlPath;

/** Problems zod cannot see: names, jumps, templates. */
function checkSteps(steps: StepSpec[], report: (path: Path, message: string) => void): void {
  const index = new Map<string, number>();
  steps.forEach((step, i) => {
    if (index.has(step.name)) report(['steps', i, 'name'], `duplicate step name "${step.name}"`);
    else index.set(step.name, i);
  });
  steps.forEach((step, i) => {
    if (step.onError !== 'fail' && step.onError !== 'continue') {
      const target = index.get(step.onError);
      if (target === undefined) report(['steps', i, 'onError'], `onError must be fail, continue or the name of a later step; there is no step "${step.onError}"`);
      else if (target <= i) report(['steps', i, 'onError'], `onError may only jump forward: "${step.onError}" is not after "${step.name}"`);
    }
    let paths: string[][] = [];
    try {
      paths = templatePaths(step.params);
    } catch (error) {
      if (!(error instanceof TemplateError)) throw error;
      report(['steps', i, 'params'], error.message);
    }
    if (!step.forEach && paths.some((p) => p[0] === 'ioc')) report(['steps', i, 'params'], '{{ ioc.* }} is only defined in a step with forEach: iocs');
  });
}

export interface ParsedPlaybook {
  spec?: PlaybookSpec;
  errors: PlaybookLoadError[];
}

export function parsePlaybook(text: string, file: string): ParsedPlaybook {
  const errors: PlaybookLoadError[] = [];
  if (Buffer.byteLength(text) > PLAYBOOK_LIMITS.fileBytes) return { errors: [{ file, message: `file is larger than the ${PLAYBOOK_LIMITS.fileBytes} bytes allowed for a playbook` }] };
  const parsed = parseYaml(text, MAX_ALIAS_COUNT);
  if ('problems' in parsed) return { errors: parsed.problems.map((p) => ({ file, ...p })) };
  const { data, lineOf } = parsed.doc;
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    return { errors: [{ file, line: 1, message: 'a playbook is a mapping with name, description, trigger and steps' }] };
  }
  const rawName = (data as { name?: unknown }).name;
  const playbook = typeof rawName === 'string' ? rawName : undefined;
  const report = (path: Path, message: string) => {
    const at = formatPath(path);
    errors.push({ file, playbook, line: lineOf(path), message: at ? `${at}: ${message}` : message });
  };

  const header = playbookSchema.safeParse(data);
  if (!header.success) for (const issue of header.error.issues) report(issuePath(issue), issue.message);
  const rawSteps = Array.isArray((data as { steps?: unknown }).steps) ? ((data as { steps: unknown[] }).steps) : [];
  const steps: StepSpec[] = [];
  rawSteps.slice(0, PLAYBOOK_LIMITS.steps).forEach((raw, i) => {
    const step = stepSchema.safeParse(raw);
    if (step.success) steps.push(step.data);
    else for (const issue of step.error.issues) report(['steps', i, ...issuePath(issue)], issue.message);
  });
  if (errors.length === 0) checkSteps(steps, report);
  if (errors.length > 0 || !header.success) return { errors };
  return { spec: { ...header.data, steps }, errors };
}
