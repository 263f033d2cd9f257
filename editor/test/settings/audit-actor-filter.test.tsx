// The audit log's Actor filter asked for a user id, which a support lead does not know: it now suggests the
// workspace's members by email (the server takes an email or an id) and `system`; empty means anyone.
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { ActorField } from "../../src/settings/audit-log-section";
import { actorChoices, NO_NAMES, type AuditNames } from "../../src/settings/audit-names";

const names: AuditNames = {
  people: new Map([
    ["54b96a04-1c2d-4e5f-8a9b-0c1d2e3f4a5b", "zoe@example.com"],
    ["0c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f", "ana@example.com"],
  ]),
  workflows: new Map(),
};

const field = (value: string, known: AuditNames) =>
  renderToStaticMarkup(<ActorField value={value} names={known} onChange={() => undefined} />);

describe("the audit log's Actor filter", () => {
  it("suggests the members' emails, alphabetically, and system", () => {
    expect(actorChoices(names)).toEqual(["ana@example.com", "zoe@example.com"]);
    const html = field("", names);
    const options = [...html.matchAll(/<option value="([^"]*)"/g)].map((match) => match[1]);
    expect(options).toEqual(["ana@example.com", "zoe@example.com", "system"]);
    const list = /<datalist id="([^"]+)"/.exec(html)?.[1];
    expect(list).toBeTruthy();
    expect(html).toContain(`list="${list}"`);
  });

  it("is labelled by what it takes, empty for anyone, and keeps what was typed", () => {
    const html = field("54b96a04-1c2d-4e5f-8a9b-0c1d2e3f4a5b", NO_NAMES);
    expect(html).toContain(">Actor (email or user id)</label>");
    expect(html).toContain('placeholder="anyone"');
    expect(html).toContain('value="54b96a04-1c2d-4e5f-8a9b-0c1d2e3f4a5b"');
    // Without the members list (it failed to load) the field still takes an email or id, and offers system.
    expect([...html.matchAll(/<option value="([^"]*)"/g)].map((match) => match[1])).toEqual(["system"]);
  });
});
