import { parse } from "yaml";
import { createAjv, createWorkflowValidator } from "@flowdeck/schemas";
import { createBuiltinRegistry } from "@flowdeck/node-library";
import { compare, ms, time } from "./stats";
import { generateWorkflow } from "./generate-workflow";
import { hostileCorpus } from "./hostile-corpus";

const NODE_COUNT = 500;
const TARGET_P50_MS = 30;
const TARGET_RATIO = 3;

/**
 * parse + validate + graph check of a 500-node workflow, against bare `yaml.parse` + Ajv on the published
 * schema, measured interleaved in the same process. Also times every hostile input class once warm.
 */
export function runLanguageBench(log: (line: string) => void): { ok: boolean } {
  const catalog = createBuiltinRegistry().catalog();
  const validator = createWorkflowValidator(catalog);
  const ajvCheck = createAjv().compile(validator.schema);
  const text = generateWorkflow(NODE_COUNT);

  const result = validator.validate(text);
  if (result.errorCount > 0) {
    for (const p of result.problems.slice(0, 5)) log(`  ${p.line}:${p.column} ${p.code} ${p.message}`);
    throw new Error("the generated workflow must be valid for the benchmark to mean anything");
  }
  if (!ajvCheck(parse(text))) throw new Error("the baseline must accept the generated workflow");

  const { subject, baseline } = compare(
    () => validator.validate(text),
    () => ajvCheck(parse(text)),
    20,
  );
  const ratio = subject.p50Ms / baseline.p50Ms;
  log(
    `language: ${NODE_COUNT}-node workflow, ${(text.length / 1024).toFixed(0)} KB, ${subject.runs} runs each`,
  );
  log(
    `  flowdeck parse + validate + graph check   p50 ${ms(subject.p50Ms)}  p95 ${ms(subject.p95Ms)}  (target p50 <= ${TARGET_P50_MS} ms)`,
  );
  log(`  baseline yaml.parse + Ajv                 p50 ${ms(baseline.p50Ms)}  p95 ${ms(baseline.p95Ms)}`);
  log(`  ratio flowdeck / baseline (p50)           ${ratio.toFixed(2)}x  (target <= ${TARGET_RATIO}x)`);

  // A file with a problem is read a second time by the position-keeping loader; report that case too.
  const withWarning = text.replace("layout:\n", "layout:\n  ghost: { x: 1, y: 1 }\n");
  const slow = compare(
    () => validator.validate(withWarning),
    () => ajvCheck(parse(withWarning)),
    10,
  );
  log(
    `  same file with one warning (positions)    p50 ${ms(slow.subject.p50Ms)}  ratio ${(slow.subject.p50Ms / slow.baseline.p50Ms).toFixed(2)}x`,
  );

  let hostileOk = true;
  log("language: hostile inputs (warm, p50 of 5 runs; bound 1000 ms each)");
  for (const sample of hostileCorpus()) {
    let codes = "";
    const timing = time(
      () => {
        codes = validator
          .validate(sample.text)
          .problems.map((p) => p.code)
          .join(",");
      },
      5,
      1,
    );
    const ok = codes.includes(sample.code) && timing.p50Ms < 1000;
    hostileOk &&= ok;
    log(
      `  ${sample.label.padEnd(28)} ${sample.code} ${ok ? "ok" : `MISSING (${codes})`}  ${ms(timing.p50Ms)}`,
    );
  }
  return { ok: subject.p50Ms <= TARGET_P50_MS && ratio <= TARGET_RATIO && hostileOk };
}
