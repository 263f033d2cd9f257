/** The default of `customerFallbackText`: no plan, code or fault named, and a promise that a person follows up. */
export const DEFAULT_CUSTOMER_FALLBACK_TEXT =
  "Sorry, I can't help right now. A member of our team will get back to you.";

/** Limits and timings of the chat channels; units in the names (DESIGN.md §7). */
export interface ChatOptions {
  /** Largest WebSocket frame a client may send; bigger closes with 1009. Default 16 KiB. */
  readonly maxFrameBytes: number;
  /** Ping every client this often; one that has not answered the previous ping is terminated. Default 30 s. */
  readonly heartbeatIntervalMs: number;
  /** Bytes queued for a client that is not reading before it is cut off. Default 1 MiB. */
  readonly maxBufferedBytes: number;
  /** How long `POST /chat/messages` waits for the flow before answering 202. Default 10 s. */
  readonly syncReplyTimeoutMs: number;
  /** How long a webhook-triggered flow may take to answer its HTTP request. Default 25 s. */
  readonly webhookReplyTimeoutMs: number;
  /** Signed webhook timestamps older (or further ahead) than this are refused. Default 300 s. */
  readonly webhookToleranceSeconds: number;
  /**
   * Attempts to deliver one outbound webhook reply (first try included) before it is given up. Default 37: with
   * the default backoff and cap, about a day of retries (~25 h nominal, ~24 h on average after jitter), since
   * receivers are down for a deploy or an outage, not for seconds (Stripe and Svix also retry for about a day).
   */
  readonly outboundAttempts: number;
  /** First retry delay of outbound deliveries; doubles each attempt up to `outboundMaxBackoffMs`. Default 1 s. */
  readonly outboundBackoffMs: number;
  /**
   * Longest wait between two attempts of one outbound reply, so a long outage is probed hourly rather than at
   * ever longer gaps (and the doubling cannot overflow). Default 1 h.
   */
  readonly outboundMaxBackoffMs: number;
  /** Outbound delivery timeout per attempt. Default 10 s. */
  readonly outboundTimeoutMs: number;
  /** How often each API process looks for outbound messages due for a retry (or left by a crash). Default 1 s. */
  readonly outboundSweepIntervalMs: number;
  /**
   * Addresses outbound webhook deliveries may reach besides the public internet (safe HTTP client allow-list:
   * IPs, CIDRs, names), beside each tenant's own list. Empty by default; `flowdeck serve` takes
   * FLOWDECK_HTTP_ALLOW_LIST.
   */
  readonly outboundAllowList: readonly string[];
  /**
   * Chat sockets open at once from one client address (an IPv6 client counts by its /64). Over it the upgrade
   * is refused 429 FD386. Default 256: a socket is open while someone chats (the widget connects when opened),
   * so this is 256 people chatting at once behind one NAT — more than a busy office or a carrier-grade NAT
   * address brings to the channels of one server, far fewer than the 2,000 one attacker opened.
   */
  readonly maxOpenSocketsPerAddress: number;
  /**
   * Chat sockets open at once on one web channel (its publishable key), over all addresses. Over it 429 FD386.
   * Default 5,000: the busiest shop's simultaneous chats; it keeps a flood through one public key to that channel.
   */
  readonly maxOpenSocketsPerChannel: number;
  /**
   * New chat sockets (upgrade attempts, refused ones included) one client address may make per
   * `newSocketWindowMs`; more are refused 429 FD387 with Retry-After, before the key or token is looked up.
   * Default 120 per 10 s: a shop's pages reconnect the widget on every navigation, so 30 customers behind one
   * NAT browsing a page every 5 s make 60.
   */
  readonly maxNewSocketsPerAddress: number;
  /** The window of `maxNewSocketsPerAddress` (fixed windows). Default 10 s. */
  readonly newSocketWindowMs: number;
  /**
   * What a customer reads instead of our refusal when a message cannot reach a run for a reason of ours (the
   * plan's runs or messages are used up, an internal error): `chat/customer-fallback.ts`.
   */
  readonly customerFallbackText: string;
  /**
   * Fallbacks of one tenant written down per minute (an audit row and a log line each; fallback-notes.ts), besides
   * one per conversation and reason. Every fallback is counted in the metrics. Default 30.
   */
  readonly fallbackNotesPerTenantPerMinute: number;
}

export const DEFAULT_CHAT_OPTIONS: ChatOptions = {
  maxFrameBytes: 16 * 1024,
  heartbeatIntervalMs: 30_000,
  maxBufferedBytes: 1024 * 1024,
  syncReplyTimeoutMs: 10_000,
  webhookReplyTimeoutMs: 25_000,
  webhookToleranceSeconds: 300,
  outboundAttempts: 37,
  outboundBackoffMs: 1_000,
  outboundMaxBackoffMs: 3_600_000,
  outboundTimeoutMs: 10_000,
  outboundSweepIntervalMs: 1_000,
  outboundAllowList: [],
  maxOpenSocketsPerAddress: 256,
  maxOpenSocketsPerChannel: 5_000,
  maxNewSocketsPerAddress: 120,
  newSocketWindowMs: 10_000,
  customerFallbackText: DEFAULT_CUSTOMER_FALLBACK_TEXT,
  fallbackNotesPerTenantPerMinute: 30,
};

/** Longest chat message text, in characters. */
export const MAX_MESSAGE_CHARS = 4000;
