// The runtime's fake OpenAI-compatible server on loopback, for browser tests of model settings (the real
// request leaves the real server; the test reads what arrived). Test code may reach runtime/ from here.
import { FakeOpenAiServer } from "../../../../runtime/test/support/fake-openai-server";

export type { FakeOpenAiServer };

export function startFakeModelServer(reply = "pong"): Promise<FakeOpenAiServer> {
  return new FakeOpenAiServer({ defaultReply: { text: reply } }).start();
}
