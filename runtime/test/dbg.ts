import { readFileSync, readdirSync } from "node:fs";
import { createHarness } from "./support/harness";
const dir = "workflows";
const texts = readdirSync(dir)
  .filter((f) => f.endsWith(".yaml"))
  .map((f) => readFileSync(`${dir}/${f}`, "utf8"));
const h = await createHarness({ kind: "pglite", workflows: texts, seed: true });
const [wf, ...turns] = process.argv.slice(2);
let run = await h.engine.startRun({
  tenantId: h.tenantId,
  workflow: h.workflow(wf!),
  input: { message: turns.shift()! },
  channel: "test",
});
const show = async () => {
  const ev = await h.store.listEvents(h.tenantId, run.id);
  console.log(`-- status ${run.status}`, run.error ?? "");
  for (const e of ev)
    if (e.type === "message.sent")
      console.log("  BOT:", String(e.data.text).replace(/\n/g, " ⏎ ").slice(0, 300));
  const steps = await h.store.listSteps(h.tenantId, run.id);
  console.log(
    "  steps:",
    steps
      .map(
        (s) =>
          `${s.stepId.replace(/^main\//, "")}${s.port ? ":" + s.port : ""}${s.details?.tier ? "(" + s.details.tier + " " + JSON.stringify((s.output as any)?.route) + " " + (s.output as any)?.confidence?.toFixed?.(2) + ")" : ""}`,
      )
      .join(" → "),
  );
};
await show();
for (const t of turns) {
  console.log(">> CUSTOMER:", t);
  run = await h.engine.resumeRun(h.tenantId, run.id, { kind: "message", text: t });
  await show();
}
await h.close();
