import { runBanking77Bench } from "./src/banking77-bench";
import { runEditorBundleBench } from "./src/editor-bundle-bench";
import { runEditorCanvasBench } from "./src/editor-canvas-bench";
import { runEngineBench } from "./src/engine-bench";
import { runJournalEncodingBench } from "./src/journal-encoding-bench";
import { runJournalPlacementBench } from "./src/journal-placement-bench";
import { runLanguageBench } from "./src/language-bench";
import { runOutboxShapeBench } from "./src/outbox-shape-bench";
import { runQueueBench } from "./src/queue-bench";
import { runRunInsertPartsBench } from "./src/run-insert-parts-bench";
import { runRunStorageBench } from "./src/run-storage-bench";
import { runServerApiBench } from "./src/server-api-bench";
import { runChatWsBench } from "./chat-ws-bench";
import { runWebhookNodeRedBench } from "./webhook-node-red-bench";

// `pnpm bench`: every benchmark prints its numbers and its ratio to a baseline measured in the same run.
// Exit code 1 when a target is missed, so a regression is visible in CI logs without failing the test suite.
const log = (line: string) => process.stdout.write(`${line}\n`);
const results = [
  runLanguageBench(log),
  runBanking77Bench(log),
  await runEngineBench(log),
  await runQueueBench(log),
  await runRunStorageBench(log),
  await runJournalEncodingBench(log),
  await runJournalPlacementBench(log),
  await runRunInsertPartsBench(log),
  await runOutboxShapeBench(log),
  await runEditorCanvasBench(log),
  await runServerApiBench(log),
  await runEditorBundleBench(log),
  await runChatWsBench(log),
  await runWebhookNodeRedBench(log),
];
process.exitCode = results.every((r) => r.ok) ? 0 : 1;
