/**
 * Model-tier routing: which model should answer this message. The router does not call it; it puts the choice
 * in its output (`nodes.<router>.output.model`) for the agent nodes downstream, so short, simple messages go to
 * a cheap model and only long ones pay for a large one.
 *
 * A tier fits a message when the message is at most its `max_message_chars` long (no limit: always fits).
 * Among the tiers that fit, the cheapest wins (`cost_per_1k_tokens_usd`; a tier without a price counts as
 * dearer than any priced one, since its cost is unknown), then the smaller size class, then YAML order.
 * When none fits, the message is longer than every limit: escalate to the tier with the highest limit, the
 * largest size class on a tie, because that is the one that can best handle it.
 */

export interface ModelTier {
  readonly model: string;
  readonly tier: "small" | "medium" | "large";
  readonly max_message_chars?: number;
  readonly cost_per_1k_tokens_usd?: number;
}

export interface TierChoice {
  readonly model: string;
  readonly tier: ModelTier["tier"];
  /** `fits`: the cheapest tier whose limit the message is within; `escalated`: no limit was high enough. */
  readonly reason: "fits" | "escalated";
  readonly costPer1kTokensUsd?: number;
}

const SIZE_RANK: Readonly<Record<ModelTier["tier"], number>> = { small: 0, medium: 1, large: 2 };

function choice(tier: ModelTier, reason: TierChoice["reason"]): TierChoice {
  return {
    model: tier.model,
    tier: tier.tier,
    reason,
    ...(tier.cost_per_1k_tokens_usd === undefined ? {} : { costPer1kTokensUsd: tier.cost_per_1k_tokens_usd }),
  };
}

export function chooseModelTier(tiers: readonly ModelTier[], message: string): TierChoice | undefined {
  if (tiers.length === 0) return undefined;
  const length = message.length;
  const fitting = tiers
    .map((tier, order) => ({ tier, order }))
    .filter(({ tier }) => tier.max_message_chars === undefined || length <= tier.max_message_chars);
  if (fitting.length > 0) {
    fitting.sort(
      (a, b) =>
        (a.tier.cost_per_1k_tokens_usd ?? Infinity) - (b.tier.cost_per_1k_tokens_usd ?? Infinity) ||
        SIZE_RANK[a.tier.tier] - SIZE_RANK[b.tier.tier] ||
        a.order - b.order,
    );
    return choice(fitting[0]!.tier, "fits");
  }
  const widest = [...tiers].sort(
    (a, b) =>
      (b.max_message_chars ?? 0) - (a.max_message_chars ?? 0) || SIZE_RANK[b.tier] - SIZE_RANK[a.tier],
  );
  return choice(widest[0]!, "escalated");
}
