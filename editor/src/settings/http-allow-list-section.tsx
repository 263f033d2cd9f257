// The hosts and address ranges beyond the public internet this workspace's tools (tool.http, node packages) and
// outbound webhooks may reach — the team's own order system on 10.x, say. The server audits every change and
// keeps refusing cloud metadata addresses whatever is listed.
import { useEffect, useId, useState, type FormEvent } from "react";
import { describeError } from "../api";
import type { WorkspaceApi } from "../api/workspace-api";
import type { HttpAllowList } from "../api/workspace-types";
import { relativeTime } from "../workflows/relative-time";
import { useToast } from "../ui/toasts";
import { useFailures } from "../ui/use-failures";

const entriesOf = (text: string) =>
  text
    .split(/[\n,]/)
    .map((entry) => entry.trim())
    .filter(Boolean);

export function HttpAllowListSection({ workspace }: { readonly workspace: WorkspaceApi }) {
  const id = useId();
  const notify = useToast();
  const [list, setList] = useState<HttpAllowList>();
  const [text, setText] = useState("");
  const { banner, fail, succeed } = useFailures();

  useEffect(() => {
    workspace.httpAllowList().then(
      (loaded) => {
        setList(loaded);
        setText(loaded.entries.join("\n"));
        succeed("load");
      },
      (caught: unknown) => fail("load", describeError(caught)),
    );
  }, [workspace, fail, succeed]);

  async function save(event: FormEvent) {
    event.preventDefault();
    succeed("save");
    try {
      const saved = await workspace.saveHttpAllowList(entriesOf(text));
      setList(saved);
      setText(saved.entries.join("\n"));
      // A saved list is also a loaded one: a failed first load no longer applies.
      succeed("load");
      notify("HTTP allow-list saved.");
    } catch (caught) {
      // The server names the entry it cannot read, counted from 1 (`Entry 2, "10.0.0.0/33", is neither …`).
      fail("save", describeError(caught));
    }
  }

  return (
    <section className="fd-card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} className="fd-section-title">
        HTTP allow-list
      </h2>
      <p className="fd-muted">
        Tools and outbound webhooks reach only the public internet. List the private hosts, addresses, CIDR
        ranges or <code>host:port</code> they may also call (your order system, a self-hosted model). Cloud
        metadata addresses stay refused.
        {list?.updatedAt ? ` Last changed ${relativeTime(list.updatedAt)}.` : ""}
      </p>
      {banner ? (
        <p className="fd-alert fd-alert--error" role="alert">
          {banner}
        </p>
      ) : null}
      <form onSubmit={(event) => void save(event)}>
        <div className="fd-field">
          <label className="fd-field__label" htmlFor={`${id}-entries`}>
            Allowed hosts and ranges (one per line)
          </label>
          <textarea
            id={`${id}-entries`}
            className="fd-input fd-code"
            rows={Math.min(8, Math.max(3, entriesOf(text).length + 1))}
            placeholder={"orders.internal.example\n10.20.0.0/16\n127.0.0.1:8081"}
            value={text}
            onChange={(event) => setText(event.target.value)}
          />
        </div>
        <div className="fd-row">
          <button type="submit" className="fd-button fd-button--primary">
            Save allow-list
          </button>
        </div>
      </form>
    </section>
  );
}
