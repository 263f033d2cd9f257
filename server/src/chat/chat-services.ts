import type { Database } from "@flowdeck/runtime";
import { createFallbackNotes, type FallbackNotes } from "./fallback-notes";
import type { Logger } from "../kit/logger";
import type { ServerConfig } from "../config/server-config";
import type { AppMetrics } from "../metrics/app-metrics";
import { createSecretBox, deriveChannelSecretKey, type SecretBox } from "../channels/secret-box";
import type { RunHost } from "../runs/run-host";
import { DEFAULT_CHAT_OPTIONS, type ChatOptions } from "./chat-options";
import { createConversationHistory, type ConversationHistory } from "./conversation-history";
import { createConversationHub, type ConversationHub } from "./conversation-hub";
import { createOutboundDelivery, type OutboundDelivery } from "../webhooks/outbound-delivery";
import { createTurnRelays, type TurnRelays } from "../webhooks/webhook-relay";

/** What the channel routes, the WebSocket endpoint, webhooks and the inbox share within one app. */
export interface ChatServices {
  readonly db: Database;
  readonly config: ServerConfig;
  readonly log: Logger;
  readonly options: ChatOptions;
  readonly runs: RunHost | undefined;
  readonly hub: ConversationHub;
  readonly history: ConversationHistory;
  readonly secretBox: SecretBox;
  /** Signed deliveries of webhook channels' replies. */
  readonly outbound: OutboundDelivery;
  /** Which customer fallbacks get an audit row and a log line (every one is counted). */
  readonly fallbackNotes: FallbackNotes;
  /** Webhook conversations' turns, relayed from the run's log to `outbound`. */
  readonly relays: TurnRelays;
  /** The app's metrics (customer fallbacks are counted); absent in tests that build services alone. */
  readonly metrics?: AppMetrics | undefined;
}

export interface CreateChatServicesOptions {
  readonly db: Database;
  readonly config: ServerConfig;
  readonly log: Logger;
  readonly runs?: RunHost | undefined;
  readonly chat?: Partial<ChatOptions> | undefined;
  /** 32 bytes (loadChannelSecretKey). Default: derived from the JWT secret. */
  readonly channelSecretKey?: Uint8Array | undefined;
  readonly metrics?: AppMetrics | undefined;
}

export function createChatServices(options: CreateChatServicesOptions): ChatServices {
  const runs = options.runs;
  const chatOptions = { ...DEFAULT_CHAT_OPTIONS, ...options.chat };
  const secretBox = createSecretBox(
    options.channelSecretKey ?? deriveChannelSecretKey(options.config.jwtSecret),
  );
  const outbound = createOutboundDelivery({
    db: options.db,
    secretBox,
    options: chatOptions,
    log: options.log,
  });
  return {
    db: options.db,
    config: options.config,
    log: options.log,
    options: chatOptions,
    runs,
    hub: createConversationHub(() => runs),
    history: createConversationHistory(options.db, undefined, chatOptions.customerFallbackText),
    secretBox,
    outbound,
    fallbackNotes: createFallbackNotes(chatOptions.fallbackNotesPerTenantPerMinute),
    relays: createTurnRelays({
      db: options.db,
      runs: () => runs,
      delivery: outbound,
      secretBox,
      options: chatOptions,
      log: options.log,
    }),
    metrics: options.metrics,
  };
}

const CHAT_SERVICES_KEY = "flowdeckChat";

/** createApp keeps the app's chat services in app.locals; attachChatSockets takes them from there. */
export function storeChatServices(locals: Record<string, unknown>, services: ChatServices): void {
  locals[CHAT_SERVICES_KEY] = services;
}

export function getChatServices(app: { locals: Record<string, unknown> }): ChatServices {
  const services = app.locals[CHAT_SERVICES_KEY];
  if (!services) throw new Error("This app was not built by createApp (no chat services).");
  return services as ChatServices;
}
