import { TERMINAL_STATUSES, type RunEvent, type RunRecord } from "@flowdeck/runtime";
import { EXIT_OK, EXIT_PROBLEMS } from "./exit-codes";
import type { CliIo } from "./io";
import { openRuntimeOrReport } from "./open-runtime";

const HELP =
  'Type a message and press Enter. "/handback [reply]" answers as the human when the flow has handed off; "/quit" leaves.';

/**
 * `flowdeck chat FILE`: a conversation with a workflow in the terminal, on the embedded store. Streamed model
 * text is printed as it arrives; messages that were not streamed are printed once their step is committed.
 */
export async function chatCommand(file: string, io: CliIo, lines: AsyncIterable<string>): Promise<number> {
  const streamed = new Set<string>();
  let streaming = false;
  const onEvents = (_runId: string, events: readonly RunEvent[]) => {
    for (const event of events) {
      if (event.type !== "token") continue;
      if (!streaming) io.write("bot: ");
      streaming = true;
      streamed.add(String(event.data.stepId));
      io.write(String(event.data.text));
    }
  };
  const runtime = await openRuntimeOrReport(file, io, onEvents);
  if (!runtime) return EXIT_PROBLEMS;
  io.out(`Chatting with ${runtime.workflow.name}. ${HELP}`);
  let run: RunRecord | undefined;
  let seen = 0;
  const show = async (current: RunRecord) => {
    if (streaming) io.out("");
    streaming = false;
    const events = await runtime.store.listEvents(runtime.tenantId, current.id, seen);
    for (const event of events) {
      seen = event.seq;
      if (event.type === "message.sent" && !streamed.has(String(event.data.stepId)))
        io.out(`bot: ${String(event.data.text)}`);
      // The buttons a widget would show: typing one answers as a click would.
      if (event.type === "message.sent" && Array.isArray(event.data.choices))
        io.out(`     [${event.data.choices.map(String).join("] [")}]`);
      if (event.type === "run.handoff")
        io.out(
          `(handed off to a human on the ${String(event.data.queue)} queue — /handback to answer as them)`,
        );
    }
    if (TERMINAL_STATUSES.has(current.status)) {
      const outcome = (current.output as { outcome?: string } | null)?.outcome;
      io.out(
        current.status === "failed"
          ? `(the run failed: ${current.error?.code} ${current.error?.message})`
          : `(conversation ended${outcome ? `: ${outcome}` : ""} — type to start a new one)`,
      );
    }
  };
  try {
    for await (const raw of lines) {
      const line = raw.trim();
      if (line === "") continue;
      if (line === "/quit") break;
      if (run === undefined || TERMINAL_STATUSES.has(run.status)) {
        if (line.startsWith("/")) {
          io.out(HELP);
          continue;
        }
        seen = 0;
        run = await runtime.engine.startRun({
          tenantId: runtime.tenantId,
          workflow: runtime.workflow,
          input: { message: line },
          channel: "cli",
        });
      } else if (run.status === "handoff") {
        if (!line.startsWith("/handback")) {
          io.out("(a human has this conversation — /handback [reply] returns it to the flow)");
          continue;
        }
        const reply = line.slice("/handback".length).trim();
        if (reply) io.out(`agent: ${reply}`);
        run = await runtime.engine.resumeRun(runtime.tenantId, run.id, {
          kind: "handback",
          ...(reply ? { agentReply: reply } : {}),
          resolved: true,
        });
      } else {
        run = await runtime.engine.resumeRun(runtime.tenantId, run.id, { kind: "message", text: line });
      }
      await show(run);
    }
    return EXIT_OK;
  } finally {
    await runtime.close();
  }
}
