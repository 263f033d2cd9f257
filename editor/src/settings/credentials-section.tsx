// Credentials for tools (an API token for the team's order system): stored sealed on the server and named from a
// node's config (`auth: { credential: order_api }`), so no secret is ever written into a workflow's YAML. The
// value is write-only; the list shows names and last four characters.
import { useCallback, useEffect, useId, useState, type FormEvent } from "react";
import { describeError } from "../api";
import type { WorkspaceApi } from "../api/workspace-api";
import type { StoredCredential } from "../api/workspace-types";
import { relativeTime } from "../workflows/relative-time";
import { TextField } from "../ui/text-field";
import { useToast } from "../ui/toasts";
import { useFailures } from "../ui/use-failures";

export function CredentialsSection({ workspace }: { readonly workspace: WorkspaceApi }) {
  const id = useId();
  const notify = useToast();
  const [items, setItems] = useState<readonly StoredCredential[]>();
  const [name, setName] = useState("");
  const [value, setValue] = useState("");
  const { banner, fail, succeed } = useFailures();

  const reload = useCallback(
    () =>
      workspace.credentials().then(
        (loaded) => {
          setItems(loaded);
          succeed("load");
        },
        (caught: unknown) => fail("load", describeError(caught)),
      ),
    [workspace, fail, succeed],
  );
  useEffect(() => void reload(), [reload]);

  async function save(event: FormEvent) {
    event.preventDefault();
    succeed("change");
    try {
      const saved = await workspace.saveCredential(name.trim(), value);
      setName("");
      setValue("");
      notify(saved.replaced ? `Credential ${saved.name} replaced.` : `Credential ${saved.name} stored.`);
    } catch (caught) {
      fail("change", describeError(caught));
      return;
    }
    await reload();
  }

  async function remove(credential: StoredCredential) {
    if (!window.confirm(`Delete ${credential.name}? Steps that use it will fail until it is stored again.`))
      return;
    succeed("change");
    try {
      await workspace.deleteCredential(credential.id);
      notify(`Credential ${credential.name} deleted.`);
    } catch (caught) {
      fail("change", describeError(caught));
      return;
    }
    await reload();
  }

  return (
    <section className="fd-card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} className="fd-section-title">
        Credentials for tools
      </h2>
      <p className="fd-muted">
        Tokens your flows send to your own systems. A <code>tool.http</code> node names one in its{" "}
        <code>auth</code> settings; the value never appears in a workflow, a trace or this page again.
      </p>
      {banner ? (
        <p className="fd-alert fd-alert--error" role="alert">
          {banner}
        </p>
      ) : null}
      {items && items.length > 0 ? (
        <table className="fd-table" data-testid="credentials-table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Ends in</th>
              <th scope="col">Changed</th>
              <th scope="col">
                <span className="fd-visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((credential) => (
              <tr key={credential.id}>
                <td>
                  <code>{credential.name}</code>
                </td>
                <td>…{credential.last4}</td>
                <td>{relativeTime(credential.updatedAt)}</td>
                <td>
                  <button
                    type="button"
                    className="fd-button fd-button--danger fd-button--small"
                    aria-label={`Delete ${credential.name}`}
                    onClick={() => void remove(credential)}
                  >
                    Delete
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : items ? (
        <p className="fd-muted">No credentials stored yet.</p>
      ) : null}
      <form onSubmit={(event) => void save(event)}>
        <div className="fd-settings__grid">
          <TextField
            label="Credential name"
            name="credentialName"
            placeholder="order_api"
            hint="Lowercase letters, digits and _, starting with a letter. Storing a name again replaces its value."
            value={name}
            onChange={(event) => setName(event.target.value)}
            required
          />
          <TextField
            label="Value"
            name="credentialValue"
            hint="Write-only: shown back as its last four characters."
            type="password"
            autoComplete="off"
            value={value}
            onChange={(event) => setValue(event.target.value)}
            required
          />
        </div>
        <div className="fd-row">
          <button type="submit" className="fd-button fd-button--primary">
            Store credential
          </button>
        </div>
      </form>
    </section>
  );
}
