import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createModelGateway } from "../../src/models/model-gateway";
import { startFakeOpenAiServer, type FakeOpenAiServer } from "../support/fake-openai-server";
import { ask, noSignal } from "./model-test-helpers";

let envServer: FakeOpenAiServer;
let tenantServer: FakeOpenAiServer;

beforeAll(async () => {
  envServer = await startFakeOpenAiServer({ defaultReply: { text: "from the env server" } });
  tenantServer = await startFakeOpenAiServer({ defaultReply: { text: "from the tenant server" } });
});
afterAll(async () => {
  await Promise.all([envServer.close(), tenantServer.close()]);
});

describe("createModelGateway", () => {
  it("picks the offline provider when there is no key anywhere", async () => {
    const gateway = createModelGateway({ env: { OPENAI_BASE_URL: envServer.url } });
    expect(gateway).toMatchObject({ provider: "offline", offline: true });
    const response = await gateway.complete(ask("hi"), { signal: noSignal() });
    expect(response.offline).toBe(true);
    expect(envServer.requests).toHaveLength(0);
  });

  it("treats a blank key as no key", () => {
    expect(createModelGateway({ apiKey: "  ", env: { OPENAI_API_KEY: "" } }).offline).toBe(true);
  });

  it("uses OPENAI_API_KEY with OPENAI_BASE_URL", async () => {
    const gateway = createModelGateway({
      env: { OPENAI_API_KEY: "sk-env-key-123456", OPENAI_BASE_URL: envServer.url },
    });
    expect(gateway).toMatchObject({ provider: "openai", offline: false });
    const response = await gateway.complete(ask("hi"), { signal: noSignal() });
    expect(response.text).toBe("from the env server");
    expect(envServer.requests.at(-1)!.headers.authorization).toBe("Bearer sk-env-key-123456");
  });

  it("prefers the tenant's key and base URL over the environment's", async () => {
    const before = envServer.requests.length;
    const gateway = createModelGateway({
      apiKey: "sk-tenant-key-123456",
      baseURL: tenantServer.url,
      env: { OPENAI_API_KEY: "sk-env-key-123456", OPENAI_BASE_URL: envServer.url },
    });
    const response = await gateway.complete(ask("hi"), { signal: noSignal() });
    expect(response.text).toBe("from the tenant server");
    expect(tenantServer.requests.at(-1)!.headers.authorization).toBe("Bearer sk-tenant-key-123456");
    expect(envServer.requests).toHaveLength(before);
  });
});
