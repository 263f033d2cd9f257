import type { LeadInput } from "../context";
import type { toolLeadCaptureNode } from "../../nodes/tool-lead-capture";
import type { NodeExecutor } from "../executor";

/** Saves (or updates, by email) a sales lead. Optional fields that render empty are left out, not blanked. */
export const toolLeadCaptureExecutor: NodeExecutor<typeof toolLeadCaptureNode> = async (ctx, config) => {
  const optional = async (template: string | undefined) =>
    template === undefined ? undefined : (await ctx.render(template)).trim() || undefined;
  const fields = {
    name: await optional(config.name),
    company: await optional(config.company),
    phone: await optional(config.phone),
    interest: await optional(config.interest),
    notes: await optional(config.notes),
  };
  const lead: LeadInput = {
    email: (await ctx.render(config.email)).trim(),
    source: config.source ?? "chat",
    ...Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)),
  };
  const result = await ctx.services.captureLead(lead, ctx.idempotencyKey);
  return {
    output: { lead_id: result.leadId, created: result.created },
    port: "out",
    effect: true,
    details: { source: lead.source, created: result.created },
  };
};
