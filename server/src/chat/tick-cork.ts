import type { Socket } from "node:net";
import { corkForTick } from "@flowdeck/runtime";
import type WebSocket from "ws";

/**
 * Holds a WebSocket's writes until the end of the current tick, so the frames one tick produces (a streamed
 * answer's tokens, a batch's reply and typing frames) leave in one socket write instead of one each.
 */
export function corkUntilNextTick(ws: WebSocket): void {
  // `_socket` is ws's own handle to the connection (not typed publicly); without it, frames go out one by one.
  corkForTick((ws as unknown as { _socket?: Socket })._socket);
}
