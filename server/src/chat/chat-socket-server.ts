import type { IncomingMessage, Server } from "node:http";
import { STATUS_CODES } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer, type WebSocket } from "ws";
import { ApiError } from "../kit/api-error";
import { ChatAuthError, customerFromKey, staffFromToken, type ChatPrincipal } from "./chat-principal";
import type { ChatServices } from "./chat-services";
import { startChatSession } from "./chat-session";
import { addressKey, clientAddressResolver } from "./client-address";
import { createSocketCaps } from "./socket-caps";

export const CHAT_SOCKET_PATH = "/ws/chat";
export const CHAT_SUBPROTOCOL = "flowdeck.v1";
const KEY_PROTOCOL = "flowdeck.key.";
const BEARER_PROTOCOL = "flowdeck.bearer.";

export interface ChatSockets {
  /** Open sessions. */
  readonly clientCount: number;
  /** Terminates every session, stops listening for upgrades and drops pending webhook deliveries. */
  close(): void;
}

interface Credentials {
  readonly key?: string;
  readonly token?: string;
}

function credentialsOf(req: IncomingMessage, query: URLSearchParams): Credentials {
  const offered = (req.headers["sec-websocket-protocol"] ?? "").split(",").map((p) => p.trim());
  const key = query.get("key") ?? offered.find((p) => p.startsWith(KEY_PROTOCOL))?.slice(KEY_PROTOCOL.length);
  const token =
    query.get("token") ?? offered.find((p) => p.startsWith(BEARER_PROTOCOL))?.slice(BEARER_PROTOCOL.length);
  return { ...(key ? { key } : {}), ...(token ? { token } : {}) };
}

/**
 * `/ws/chat` on the HTTP server (ws in noServer mode). Every upgrade is authenticated before the handshake — a
 * web channel's publishable key from an allowed Origin, or a staff access token — and refused with a plain HTTP
 * 401/403/404 otherwise, so an unauthenticated client never gets a WebSocket. Before that, the client address
 * (behind `trust proxy` as req.ip) must be under its rate of new sockets and its open sockets, and after it a
 * customer's channel under its open sockets: else 429 FD387 / FD386 with Retry-After (socket-caps.ts). Frames
 * are capped (`maxPayload`, 1009), dead peers are found by ping/pong, and sessions enforce the buffered-bytes limit.
 */
export function attachChatSockets(httpServer: Server, services: ChatServices): ChatSockets {
  const { options } = services;
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: options.maxFrameBytes,
    perMessageDeflate: false,
    clientTracking: true,
    handleProtocols: (protocols) => (protocols.has(CHAT_SUBPROTOCOL) ? CHAT_SUBPROTOCOL : false),
  });
  const alive = new WeakMap<WebSocket, boolean>();
  const caps = createSocketCaps(options);
  const clientAddress = clientAddressResolver(services.config.trustProxy);

  async function authenticate(
    req: IncomingMessage,
    query: URLSearchParams,
    { key, token }: Credentials,
  ): Promise<ChatPrincipal> {
    const origin = req.headers.origin;
    if (key) return customerFromKey(services.db, key, origin);
    if (token) {
      const version = query.get("version");
      return staffFromToken(services, token, {
        origin,
        host: req.headers.host,
        workflowId: query.get("workflow"),
        draft: query.get("draft") === "1" || query.get("draft") === "true",
        version: version && /^\d+$/.test(version) ? Number(version) : undefined,
      });
    }
    throw new ChatAuthError("FD370", "A channel key or an access token is required.");
  }

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const [path = "", search = ""] = (req.url ?? "").split("?", 2);
    if (path !== CHAT_SOCKET_PATH) {
      // Another upgrade handler may own this path; answer only when nobody else listens.
      if (httpServer.listenerCount("upgrade") <= 1)
        refuse(socket, new ApiError("FD320", "No WebSocket endpoint here."));
      return;
    }
    socket.on("error", () => socket.destroy());
    const query = new URLSearchParams(search);
    const credentials = credentialsOf(req, query);
    const address = clientAddress(req);
    if (!address) return socket.destroy();
    const admit = async (): Promise<ChatPrincipal> => {
      // The address is admitted before the key or token is looked up, so a flood costs no database work.
      await caps.admitAddress(addressKey(address), socket);
      const principal = await authenticate(req, query, credentials);
      if (principal.kind === "customer" && !socket.destroyed) caps.admitChannel(principal.channel.id, socket);
      return principal;
    };
    admit().then(
      (principal) => {
        if (socket.destroyed) return;
        wss.handleUpgrade(req, socket, head, (ws) => {
          alive.set(ws, true);
          ws.on("pong", () => alive.set(ws, true));
          services.metrics?.chatSockets.inc();
          ws.once("close", () => services.metrics?.chatSockets.dec());
          startChatSession(ws, principal, services, { key: credentials.key, origin: req.headers.origin });
        });
      },
      (error: unknown) => {
        if (error instanceof ChatAuthError) return refuse(socket, new ApiError(error.code, error.message));
        if (error instanceof ApiError) return refuse(socket, error);
        services.log.error("chat upgrade failed", { error });
        refuse(socket, new ApiError("FD399", "Internal error."));
      },
    );
  };
  httpServer.on("upgrade", onUpgrade);

  // One timer for all sessions: a peer that did not answer the last ping is gone (half-open TCP, sleeping laptop).
  const heartbeat = setInterval(() => {
    for (const ws of wss.clients) {
      if (alive.get(ws) === false) {
        ws.terminate();
        continue;
      }
      alive.set(ws, false);
      ws.ping();
    }
  }, options.heartbeatIntervalMs);
  heartbeat.unref();

  return {
    get clientCount() {
      return wss.clients.size;
    },
    close() {
      clearInterval(heartbeat);
      httpServer.off("upgrade", onUpgrade);
      for (const ws of wss.clients) ws.terminate();
      wss.close();
      // The relays first: a turn they were relaying hands its last reply to delivery before that closes.
      void services.relays.close().finally(() => services.outbound.close());
    },
  };
}

/** A plain HTTP answer on the raw socket, before any handshake (its headers too: Retry-After), then close. */
function refuse(socket: Duplex, error: ApiError): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const body = JSON.stringify(error.toBody());
  const extra = Object.entries(error.headers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join("");
  socket.once("finish", () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${error.status} ${STATUS_CODES[error.status] ?? ""}\r\n` +
      `Connection: close\r\nContent-Type: application/json\r\nCache-Control: no-store\r\n${extra}` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}
