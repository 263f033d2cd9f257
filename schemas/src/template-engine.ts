import {
  Context,
  ForTag,
  Liquid,
  TablerowTag,
  toValue,
  toValueSync,
  TypeGuards,
  type Emitter,
  type FS,
  type Template,
} from "liquidjs";
import { EvaluationLimitError, TemplateFileError } from "./evaluation-errors";

/**
 * Bounds on one template, for validation and the runtime alike. Templates run on the server's event loop, where
 * a step's timeout cannot fire while a render holds it, so the work is bounded while it happens. liquidjs 10.30
 * checks `renderLimit` (wall clock from the start of the render) before each node it renders, loop bodies
 * included, and charges ranges (`(1..1e8)` is charged 1e8 before the array exists) and most filters'
 * allocations to `memoryLimit`. Neither counts the text written out, so the output has its own cap.
 */
export const TEMPLATE_LIMITS = {
  /** Longest template parsed, in characters (liquidjs `parseLimit`). */
  parseLimitChars: 200_000,
  /**
   * Wall-clock budget of one render, in milliseconds (liquidjs `renderLimit`). Wall clock, not CPU: a render
   * that the OS descheduled or that met a GC pause is charged for it, so the budget sits well above any real
   * template (under 1 ms) — at 30 ms, golden flows failed with FD214 on a loaded 2-core machine — and at the
   * bound the issue sets for the event loop (100 ms).
   */
  renderLimitMs: 100,
  /** Characters and list items one render may allocate (liquidjs `memoryLimit`). */
  memoryLimitUnits: 1_000_000,
  /** Longest rendered text, in characters, checked as it is written. */
  maxOutputChars: 1_000_000,
  /** A `for` over a literal range up to this many steps draws no warning. */
  staticLoopIterations: 1_000,
} as const;

/** The tags that name a file to read; each is refused while parsing, so validation reports it. */
export const FILE_TAGS = ["include", "render", "layout"] as const;

/** Every lookup fails and nothing is read: the tags below refuse first, this is the second lock. */
const NO_FILES: FS = {
  exists: () => Promise.resolve(false),
  existsSync: () => false,
  readFile: () => Promise.reject(new TemplateFileError("include")),
  readFileSync: () => {
    throw new TemplateFileError("include");
  },
  resolve: (_dir, file) => file,
  contains: () => Promise.resolve(false),
  containsSync: () => false,
};

/**
 * Liquid as Flowdeck configures it everywhere (the runtime imports this too): own properties only, so
 * `{{ input.constructor }}` renders nothing; unknown filters are errors rather than silent pass-through; no
 * file system (a template is the workflow's own text and nothing else); parse, time and memory limits.
 */
export function createLiquid(): Liquid {
  const liquid = new Liquid({
    ownPropertyOnly: true,
    strictFilters: true,
    jsTruthy: false,
    fs: NO_FILES,
    root: [],
    partials: [],
    layouts: [],
    relativeReference: false,
    parseLimit: TEMPLATE_LIMITS.parseLimitChars,
    renderLimit: TEMPLATE_LIMITS.renderLimitMs,
    memoryLimit: TEMPLATE_LIMITS.memoryLimitUnits,
  });
  for (const tag of FILE_TAGS) {
    liquid.registerTag(tag, {
      parse() {
        throw new TemplateFileError(tag);
      },
      render() {
        throw new TemplateFileError(tag);
      },
    });
  }
  return liquid;
}

/** The FD136 cause inside a liquidjs error (it wraps what a tag throws), if that is what it is. */
export function templateFileError(error: unknown): TemplateFileError | undefined {
  if (error instanceof TemplateFileError) return error;
  const original = (error as { originalError?: unknown } | null)?.originalError;
  return original instanceof TemplateFileError ? original : undefined;
}

const LIQUID_LIMIT_MESSAGES: Record<string, [limit: keyof typeof TEMPLATE_LIMITS, plain: string]> = {
  "parse length limit exceeded": [
    "parseLimitChars",
    `the template is longer than ${TEMPLATE_LIMITS.parseLimitChars.toLocaleString("en")} characters`,
  ],
  "template render limit exceeded": [
    "renderLimitMs",
    `rendering took longer than ${TEMPLATE_LIMITS.renderLimitMs} ms`,
  ],
  "memory alloc limit exceeded": [
    "memoryLimitUnits",
    `rendering would build more than ${TEMPLATE_LIMITS.memoryLimitUnits.toLocaleString("en")} characters or list items (a loop over a huge range?)`,
  ],
};

/** A liquidjs limit error turned into an EvaluationLimitError with a plain message; anything else: undefined. */
export function templateLimitError(error: unknown): EvaluationLimitError | undefined {
  const message = error instanceof Error ? error.message : "";
  for (const [needle, [limit, plain]] of Object.entries(LIQUID_LIMIT_MESSAGES)) {
    if (message.includes(needle)) return new EvaluationLimitError(limit, plain);
  }
  return undefined;
}

function stringify(value: unknown): string {
  const plain = toValue(value);
  if (typeof plain === "string") return plain;
  if (plain === null || plain === undefined) return "";
  if (Array.isArray(plain)) return plain.map(stringify).join("");
  return String(plain);
}

/** liquidjs's SimpleEmitter with a cap: a string's length is known without building it. */
class BoundedEmitter implements Emitter {
  buffer = "";
  write(html: unknown): void {
    const text = stringify(html);
    if (this.buffer.length + text.length > TEMPLATE_LIMITS.maxOutputChars) {
      throw new EvaluationLimitError(
        "maxOutputChars",
        `its text would pass ${TEMPLATE_LIMITS.maxOutputChars.toLocaleString("en")} characters`,
      );
    }
    this.buffer += text;
  }
}

/**
 * Renders parsed templates under all of TEMPLATE_LIMITS, synchronously (nothing is ever read from anywhere, so
 * a render has nothing to wait for). Throws TemplateFileError, EvaluationLimitError or liquidjs's own error.
 */
export function renderBounded(liquid: Liquid, templates: Template[], scope: object): string {
  const context = new Context(scope, liquid.options, { sync: true }, { liquid });
  const emitter = new BoundedEmitter();
  try {
    toValueSync(liquid.renderer.renderTemplates(templates, context, emitter));
  } catch (error) {
    const original = (error as { originalError?: unknown } | null)?.originalError;
    if (original instanceof EvaluationLimitError) throw original;
    throw templateFileError(error) ?? templateLimitError(error) ?? error;
  }
  return emitter.buffer;
}

export interface TemplateRisk {
  readonly message: string;
  readonly at: { readonly row: number; readonly col: number };
}

function children(template: Template): Template[] {
  const node = template as Template & { children?: (partials: boolean, sync: boolean) => unknown };
  return typeof node.children === "function" ? (toValueSync(node.children(false, true)) as Template[]) : [];
}

/**
 * Loops whose work the validator cannot bound from the text: a `for` over a range that is not a small literal,
 * and any loop inside another. They still run under the render limits; the warning shows the author the risk.
 */
export function templateRisks(templates: readonly Template[]): TemplateRisk[] {
  const risks: TemplateRisk[] = [];
  const stack = templates.map((template) => ({ template, loops: 0 }));
  while (stack.length > 0) {
    const { template, loops } = stack.pop()!;
    const isLoop = template instanceof ForTag || template instanceof TablerowTag;
    if (isLoop) {
      const [row = 1, col = 1] = template.token.getPosition();
      const problem = loopProblem(template.collection, loops);
      if (problem) risks.push({ message: problem, at: { row, col } });
    }
    for (const child of children(template)) stack.push({ template: child, loops: loops + (isLoop ? 1 : 0) });
  }
  return risks;
}

function loopProblem(collection: unknown, enclosingLoops: number): string | undefined {
  if (enclosingLoops > 0) return "a loop inside another loop: its work multiplies with the length of both";
  if (!TypeGuards.isRangeToken(collection)) return undefined;
  const { lhs, rhs } = collection;
  if (!TypeGuards.isNumberToken(lhs) || !TypeGuards.isNumberToken(rhs)) {
    return "a loop over a range whose ends are only known when the flow runs";
  }
  const steps = rhs.content - lhs.content + 1;
  if (steps <= TEMPLATE_LIMITS.staticLoopIterations) return undefined;
  return `a loop of ${steps.toLocaleString("en")} steps (more than ${TEMPLATE_LIMITS.memoryLimitUnits.toLocaleString("en")} stops the template)`;
}
