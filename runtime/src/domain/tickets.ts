import type { TicketInput } from "@flowdeck/node-library/runtime";
import type { Sql } from "../store/database";
import { optionalText } from "../store/sql-values";
import { optionalEmail, requireText, truncate } from "./domain-input";

const SUBJECT_MAX_CHARS = 300;
const DESCRIPTION_MAX_CHARS = 20_000;
const PRIORITIES: ReadonlySet<string> = new Set(["low", "medium", "high", "urgent"]);

/**
 * Opens a ticket numbered from the tenant's own counter (TCK-000001, TCK-000002 …) in one statement: the
 * counter upsert locks the tenant's counter row, so concurrent tickets get distinct numbers.
 */
export async function openTicket(
  sql: Sql,
  tenantId: string,
  ticket: TicketInput,
): Promise<{ readonly ticketId: string; readonly created: boolean }> {
  const { rows } = await sql.query<{ id: string }>(
    `WITH counter AS (
       INSERT INTO tenant_counters (tenant_id, name, value) VALUES ($1, 'ticket', 1)
       ON CONFLICT (tenant_id, name) DO UPDATE SET value = tenant_counters.value + 1
       RETURNING value
     )
     INSERT INTO tickets (tenant_id, id, number, subject, description, priority, category, customer_email)
     SELECT $1, 'TCK-' || CASE WHEN value < 1000000 THEN lpad(value::text, 6, '0') ELSE value::text END,
            value, $2, $3, $4, $5, $6
       FROM counter
     RETURNING id`,
    [
      tenantId,
      truncate(requireText(ticket.subject, "ticket subject"), SUBJECT_MAX_CHARS),
      truncate(requireText(ticket.description, "ticket description"), DESCRIPTION_MAX_CHARS),
      PRIORITIES.has(ticket.priority) ? ticket.priority : "medium",
      optionalText(ticket.category),
      optionalEmail(ticket.customerEmail),
    ],
  );
  return { ticketId: rows[0]!.id, created: true };
}
