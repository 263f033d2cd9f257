/** A channel as the API shows it: never the key hash or the sealed secret. */
export interface ChannelView {
  readonly id: string;
  readonly kind: "web" | "webhook";
  readonly name: string;
  readonly workflowId: string;
  /** null: each new run takes the latest published version. */
  readonly pinnedVersion: number | null;
  readonly allowedOrigins: readonly string[];
  readonly outboundUrl: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** What the chat and webhook paths need to run a channel; `secretBox` is still sealed. */
export interface ChannelRecord extends ChannelView {
  readonly tenantId: string;
  readonly keyHash: string | null;
  readonly secretBox: string | null;
}
