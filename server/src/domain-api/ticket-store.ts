import { openTicket, type Sql } from "@flowdeck/runtime";
import { containsPattern, toApi } from "./route-kit";
import { SqlParams, selectPage, setClause } from "./sql-parts";

/** The `tickets` CHECK constraints list the same values. */
export const TICKET_STATUSES = ["open", "pending", "solved", "closed"] as const;
export const TICKET_PRIORITIES = ["low", "medium", "high", "urgent"] as const;

const COLUMNS = `id, number, subject, description, priority, category, status, customer_email, created_at,
  updated_at`;

const PATCHABLE = {
  subject: "subject",
  description: "description",
  priority: "priority",
  category: "category",
  status: "status",
  customerEmail: "customer_email",
} as const;

export interface TicketInput {
  readonly subject: string;
  readonly description: string;
  readonly priority: string;
  readonly category: string | null;
  readonly customerEmail: string | null;
}

export interface TicketFilter {
  readonly status?: string;
  readonly priority?: string;
  readonly email?: string;
  /** Part of the subject or the ticket id. */
  readonly q?: string;
  readonly limit: number;
  readonly cursor?: string;
}

// Ticket ids are TCK-000123; lookups ignore case like order numbers do.
const ticketKey = (id: string) => id.trim().toUpperCase();

/** `number` is bigint: pg answers it as text, PGlite as a number; the API gives a number either way. */
function toTicket(row: object): Record<string, unknown> {
  const ticket = toApi(row);
  return { ...ticket, number: Number(ticket.number) };
}

export async function listTickets(sql: Sql, filter: TicketFilter) {
  const params = new SqlParams();
  const where: string[] = [];
  if (filter.status) where.push(`status = ${params.add(filter.status)}`);
  if (filter.priority) where.push(`priority = ${params.add(filter.priority)}`);
  if (filter.email) where.push(`customer_email = ${params.add(filter.email)}`);
  if (filter.q) {
    const pattern = params.add(containsPattern(filter.q));
    where.push(`(subject ILIKE ${pattern} OR id ILIKE ${pattern})`);
  }
  const page = await selectPage<object>(sql, {
    select: `SELECT ${COLUMNS} FROM tickets`,
    idType: "text",
    params,
    where,
    limit: filter.limit,
    cursor: filter.cursor,
  });
  return { items: page.rows.map(toTicket), nextCursor: page.nextCursor };
}

export async function getTicket(sql: Sql, id: string, options: { forUpdate?: boolean } = {}) {
  const { rows } = await sql.query(
    `SELECT ${COLUMNS} FROM tickets WHERE id = $1 ${options.forUpdate ? "FOR UPDATE" : ""}`,
    [ticketKey(id)],
  );
  return rows[0] ? toTicket(rows[0]) : undefined;
}

/**
 * Opened with runtime's `openTicket`, the ticket tool's own numbering and rules, so tickets from chat and from
 * staff share one sequence (TCK-000001, TCK-000002 …).
 */
export async function createTicket(sql: Sql, tenantId: string, input: TicketInput) {
  const { ticketId } = await openTicket(sql, tenantId, {
    subject: input.subject,
    description: input.description,
    // Body validation admits the same four priorities the tool does.
    priority: input.priority as Parameters<typeof openTicket>[2]["priority"],
    ...(input.category === null ? {} : { category: input.category }),
    ...(input.customerEmail === null ? {} : { customerEmail: input.customerEmail }),
  });
  return (await getTicket(sql, ticketId))!;
}

/** The updated ticket, the fields given and the status before, or undefined when there is no such ticket. */
export async function updateTicket(sql: Sql, id: string, patch: Record<string, unknown>) {
  const before = await getTicket(sql, id, { forUpdate: true });
  if (!before) return undefined;
  const params = new SqlParams();
  const set = setClause(params, patch, PATCHABLE);
  const { rows } = await sql.query(
    `UPDATE tickets SET ${set.sql} WHERE id = ${params.add(before.id)} RETURNING ${COLUMNS}`,
    params.values,
  );
  return { item: toTicket(rows[0]!), fields: set.fields, statusBefore: String(before.status) };
}
