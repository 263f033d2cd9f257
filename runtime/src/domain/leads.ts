import type { LeadInput } from "@flowdeck/node-library/runtime";
import type { Sql } from "../store/database";
import { optionalText } from "../store/sql-values";
import { requireEmail, truncate } from "./domain-input";
import type { RunOrigin } from "./run-origin";

const FIELD_MAX_CHARS = 500;
const NOTES_MAX_CHARS = 10_000;

/**
 * Creates the lead, or updates the one with the same email: given fields replace stored ones, blank fields
 * keep them, notes are appended, and the first `source` is kept (first-touch attribution for sales reports).
 * The run that created the lead and its channel are kept the same way (first touch): lead analytics leave out
 * leads an editor test run created, so a customer's later capture of the same email does not turn a lead
 * staff made while testing into a customer's, nor the other way round.
 */
export async function upsertLead(
  sql: Sql,
  tenantId: string,
  lead: LeadInput,
  origin?: RunOrigin,
): Promise<{ readonly leadId: string; readonly created: boolean }> {
  const field = (value: string | undefined) => {
    const text = optionalText(value);
    return text === null ? null : truncate(text, FIELD_MAX_CHARS);
  };
  const notes = optionalText(lead.notes);
  const { rows } = await sql.query<{ id: string; created: boolean }>(
    `INSERT INTO leads (tenant_id, email, name, company, phone, interest, source, notes, run_id, channel)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
     ON CONFLICT (tenant_id, email) DO UPDATE
        SET name = coalesce(excluded.name, leads.name),
            company = coalesce(excluded.company, leads.company),
            phone = coalesce(excluded.phone, leads.phone),
            interest = coalesce(excluded.interest, leads.interest),
            notes = CASE WHEN leads.notes IS NULL THEN excluded.notes
                         WHEN excluded.notes IS NULL THEN leads.notes
                         ELSE leads.notes || E'\\n\\n' || excluded.notes END,
            updated_at = now()
     -- xmax is 0 for a freshly inserted row and set when ON CONFLICT updated an existing one.
     RETURNING id, (xmax = 0) AS created`,
    [
      tenantId,
      requireEmail(lead.email),
      field(lead.name),
      field(lead.company),
      field(lead.phone),
      field(lead.interest),
      field(lead.source) ?? "chat",
      notes === null ? null : truncate(notes, NOTES_MAX_CHARS),
      origin?.runId ?? null,
      origin?.channel ?? null,
    ],
  );
  const row = rows[0]!;
  return { leadId: row.id, created: row.created };
}
