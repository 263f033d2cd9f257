import { runQueueBench } from "./src/queue-bench";
await runQueueBench((l) => process.stdout.write(`${l}\n`));
process.exit(0);
