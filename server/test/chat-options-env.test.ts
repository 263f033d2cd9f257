import { describe, expect, it } from "vitest";
import { StartupError } from "../src/config/startup-error";
import { chatOptionsFromEnv } from "../src/chat/chat-options-env";

describe("chat socket caps from the environment", () => {
  it("reads the FLOWDECK_CHAT_* caps and leaves the rest to the defaults", () => {
    expect(chatOptionsFromEnv({})).toEqual({});
    expect(
      chatOptionsFromEnv({
        FLOWDECK_CHAT_MAX_OPEN_SOCKETS_PER_ADDRESS: "1000",
        FLOWDECK_CHAT_MAX_OPEN_SOCKETS_PER_CHANNEL: " 20000 ",
        FLOWDECK_CHAT_MAX_NEW_SOCKETS_PER_ADDRESS: "500",
        FLOWDECK_CHAT_NEW_SOCKET_WINDOW_MS: "5000",
      }),
    ).toEqual({
      maxOpenSocketsPerAddress: 1000,
      maxOpenSocketsPerChannel: 20000,
      maxNewSocketsPerAddress: 500,
      newSocketWindowMs: 5000,
    });
  });

  it("gives outbound webhook deliveries the operator's FLOWDECK_HTTP_ALLOW_LIST", () => {
    expect(
      chatOptionsFromEnv({ FLOWDECK_HTTP_ALLOW_LIST: " 127.0.0.1, 10.0.0.0/8 ,hooks.internal" }),
    ).toEqual({
      outboundAllowList: ["127.0.0.1", "10.0.0.0/8", "hooks.internal"],
    });
    expect(chatOptionsFromEnv({ FLOWDECK_HTTP_ALLOW_LIST: " , " })).toEqual({});
  });

  it.each([
    ["FLOWDECK_HTTP_ALLOW_LIST", "not a host!"],
    ["FLOWDECK_CHAT_MAX_OPEN_SOCKETS_PER_ADDRESS", "0"],
    ["FLOWDECK_CHAT_MAX_OPEN_SOCKETS_PER_ADDRESS", "lots"],
    ["FLOWDECK_CHAT_MAX_NEW_SOCKETS_PER_ADDRESS", "1.5"],
    ["FLOWDECK_CHAT_NEW_SOCKET_WINDOW_MS", "500"],
  ])("refuses %s=%s with FD398 naming the variable", (name, value) => {
    let thrown: unknown;
    try {
      chatOptionsFromEnv({ [name]: value });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(StartupError);
    expect(thrown).toMatchObject({ code: "FD398" });
    expect((thrown as Error).message).toContain(name);
  });
});
