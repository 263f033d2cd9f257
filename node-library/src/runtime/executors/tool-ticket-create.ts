import type { toolTicketCreateNode } from "../../nodes/tool-ticket-create";
import type { NodeExecutor } from "../executor";

/** Opens a helpdesk ticket; the step's idempotency key means a retry never opens a second one. */
export const toolTicketCreateExecutor: NodeExecutor<typeof toolTicketCreateNode> = async (ctx, config) => {
  const customerEmail =
    config.customer_email === undefined ? "" : (await ctx.render(config.customer_email)).trim();
  const priority = config.priority ?? "medium";
  const result = await ctx.services.createTicket(
    {
      subject: (await ctx.render(config.subject)).trim(),
      description: (await ctx.render(config.description)).trim(),
      priority,
      ...(config.category ? { category: config.category } : {}),
      ...(customerEmail ? { customerEmail } : {}),
    },
    ctx.idempotencyKey,
  );
  return {
    output: { ticket_id: result.ticketId, created: result.created },
    port: "out",
    effect: true,
    details: { priority, category: config.category ?? null },
  };
};
