import { readFileSync, readdirSync } from "node:fs";
import { createHarness } from "../support/harness";
const dir = "workflows";
const texts = readdirSync(dir)
  .filter((f) => f.endsWith(".yaml"))
  .map((f) => readFileSync(`${dir}/${f}`, "utf8"));
const h = await createHarness({ kind: "pglite", workflows: texts, seed: true });
const convs = JSON.parse(readFileSync(process.argv[2]!, "utf8")) as Array<[string, ...string[]]>;
for (const [wf, first, ...turns] of convs) {
  console.log(`\n=== ${wf}: ${first}`);
  let run = await h.engine.startRun({
    tenantId: h.tenantId,
    workflow: h.workflow(wf),
    input: { message: first },
    channel: "test",
  });
  let seen = 0;
  const show = async () => {
    const ev = await h.store.listEvents(h.tenantId, run.id);
    const msgs = ev.filter((e) => e.type === "message.sent");
    for (const e of msgs.slice(seen))
      console.log("  BOT:", String(e.data.text).replace(/\n/g, " ⏎ ").slice(0, 400));
    seen = msgs.length;
    console.log(
      `  -- status ${run.status}`,
      run.error ? JSON.stringify(run.error) : "",
      run.status === "completed" ? JSON.stringify(run.output) : "",
    );
  };
  await show();
  for (const t of turns) {
    console.log(" >> CUSTOMER:", t);
    if (t.startsWith("HANDBACK"))
      run = await h.engine.resumeRun(h.tenantId, run.id, {
        kind: "handback",
        agentReply: "Agent here, sorted.",
        resolved: t === "HANDBACK+",
      });
    else run = await h.engine.resumeRun(h.tenantId, run.id, { kind: "message", text: t });
    await show();
  }
  const steps = await h.store.listSteps(h.tenantId, run.id);
  console.log(
    "  steps:",
    steps
      .map(
        (s) =>
          `${s.stepId.replace(/^main\//, "")}${s.port ? ":" + s.port : ""}${s.details?.tier ? "(" + s.details.tier + " " + JSON.stringify((s.output as any)?.route) + " " + (s.output as any)?.confidence + ")" : ""}`,
      )
      .join(" → "),
  );
}
await h.close();
