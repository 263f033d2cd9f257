import type { Socket } from "node:net";
import type WebSocket from "ws";

/**
 * Holds a WebSocket's writes until the end of the current tick, so the frames one tick produces (a streamed
 * answer's tokens, a batch's reply and typing frames) leave in one socket write instead of one each: on this
 * kind of machine a write costs more than building the frame. ws writes each frame itself; corking its socket
 * (nested corks are counted) makes those writes one writev when the tick ends.
 */
export function corkUntilNextTick(ws: WebSocket): void {
  // `_socket` is ws's own handle to the connection (not typed publicly); without it, frames go out one by one.
  const socket = (ws as unknown as { _socket?: Socket })._socket;
  if (!socket || corked.has(socket)) return;
  corked.add(socket);
  socket.cork();
  process.nextTick(() => {
    corked.delete(socket);
    socket.uncork();
  });
}

const corked = new WeakSet<Socket>();
