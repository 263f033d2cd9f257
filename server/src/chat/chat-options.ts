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
  /** Attempts to deliver one outbound webhook reply (first try included). Default 5. */
  readonly outboundAttempts: number;
  /** First retry delay of outbound deliveries; doubles each attempt. Default 1 s. */
  readonly outboundBackoffMs: number;
  /** Outbound delivery timeout per attempt. Default 10 s. */
  readonly outboundTimeoutMs: number;
  /** How often each API process looks for outbound messages due for a retry (or left by a crash). Default 1 s. */
  readonly outboundSweepIntervalMs: number;
  /**
   * Addresses outbound webhook deliveries may reach besides the public internet (safe HTTP client allow-list:
   * IPs, CIDRs, names). Empty by default; tests allow 127.0.0.1 for their receiver.
   */
  readonly outboundAllowList: readonly string[];
}

export const DEFAULT_CHAT_OPTIONS: ChatOptions = {
  maxFrameBytes: 16 * 1024,
  heartbeatIntervalMs: 30_000,
  maxBufferedBytes: 1024 * 1024,
  syncReplyTimeoutMs: 10_000,
  webhookReplyTimeoutMs: 25_000,
  webhookToleranceSeconds: 300,
  outboundAttempts: 5,
  outboundBackoffMs: 1_000,
  outboundTimeoutMs: 10_000,
  outboundSweepIntervalMs: 1_000,
  outboundAllowList: [],
};

/** Longest chat message text, in characters. */
export const MAX_MESSAGE_CHARS = 4000;
