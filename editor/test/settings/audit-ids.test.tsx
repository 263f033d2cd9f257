// The audit log cut ids to 8 characters ("workflow:5a183241"), which matched nothing anyone could paste into
// the Target filter or look up. Rows now show a name where one is known (the whole id on hover) and otherwise
// the whole id, shortened on screen by CSS only, so copying takes it whole.
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import type { AuditRecord } from "../../src/api/workspace-types";
import { AuditRow } from "../../src/settings/audit-log-section";
import { NO_NAMES } from "../../src/settings/audit-names";

const USER = "54b96a04-1c2d-4e5f-8a9b-0c1d2e3f4a5b";
const WORKFLOW = "5a183241-9d1b-4e55-8f63-2a7d3c1b9e40";

const record = (over: Partial<AuditRecord>): AuditRecord => ({
  id: "1",
  at: "2026-12-07T12:00:00Z",
  actorId: USER,
  action: "workflow.publish",
  targetType: "workflow",
  targetId: WORKFLOW,
  detail: { version: 2 },
  requestId: null,
  ...over,
});

const row = (item: AuditRecord, names = NO_NAMES) =>
  renderToStaticMarkup(
    <table>
      <tbody>
        <AuditRow item={item} names={names} />
      </tbody>
    </table>,
  );

describe("audit log ids", () => {
  it("shows whole ids, with the id as the hover text, when no name is known", () => {
    const html = row(record({}));
    expect(html).toContain(`<code class="fd-audit-id" title="${WORKFLOW}">${WORKFLOW}</code>`);
    expect(html).toContain(`<code class="fd-audit-id" title="${USER}">${USER}</code>`);
  });

  it("shows people's emails and workflows' names where the workspace knows them, the id on hover", () => {
    const names = {
      people: new Map([[USER, "ana@example.com"]]),
      workflows: new Map([[WORKFLOW, "order_status"]]),
    };
    const html = row(record({}), names);
    expect(html).toContain(`<span title="${WORKFLOW}">order_status</span>`);
    expect(html).toContain(`<span title="${USER}">ana@example.com</span>`);
    const gone = row(
      record({ targetType: "credential", targetId: "c-1", detail: { name: "order_api" } }),
      names,
    );
    expect(gone).toContain('<span title="c-1">order_api</span>');
  });
});
