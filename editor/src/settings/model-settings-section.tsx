// The workspace's own model provider: API key (write-only, shown back as its last 4), base URL, default model,
// and a connection test that makes a real one-token call.
import { useEffect, useState, type FormEvent } from "react";
import { describeError } from "../api";
import type { WorkspaceApi } from "../api/workspace-api";
import type { ModelConnectionTest, ModelSettings } from "../api/workspace-types";
import { TextField } from "../ui/text-field";
import { useToast } from "../ui/toasts";
import { useFailures } from "../ui/use-failures";

export function ModelSettingsSection({ workspace }: { readonly workspace: WorkspaceApi }) {
  const notify = useToast();
  const [settings, setSettings] = useState<ModelSettings>();
  const [apiKey, setApiKey] = useState("");
  const [baseUrl, setBaseUrl] = useState("");
  const [model, setModel] = useState("");
  const [test, setTest] = useState<ModelConnectionTest & { baseUrl?: string }>();
  const { banner, fail, succeed } = useFailures();
  const [testing, setTesting] = useState(false);

  useEffect(() => {
    workspace.modelSettings().then(
      (loaded) => {
        setSettings(loaded);
        setBaseUrl(loaded.baseUrl ?? "");
        setModel(loaded.defaultModel ?? "");
        succeed("load");
      },
      (caught: unknown) => fail("load", describeError(caught)),
    );
  }, [workspace, fail, succeed]);

  const change = () => ({
    ...(apiKey.trim() ? { apiKey: apiKey.trim() } : {}),
    baseUrl: baseUrl.trim() || null,
    defaultModel: model.trim() || null,
  });

  async function save(event: FormEvent) {
    event.preventDefault();
    succeed("save");
    try {
      setSettings(await workspace.saveModelSettings(change()));
      setApiKey("");
      succeed("load");
      // A connection test's verdict was about the settings before this save; a failure shown from it is stale.
      setTest((before) => (before?.ok ? before : undefined));
      notify("Model settings saved.");
    } catch (caught) {
      fail("save", describeError(caught));
    }
  }

  async function runTest() {
    succeed("test");
    setTesting(true);
    try {
      setTest(await workspace.testModelSettings(change()));
    } catch (caught) {
      setTest(undefined);
      fail("test", describeError(caught));
    } finally {
      setTesting(false);
    }
  }

  return (
    <section className="fd-card" aria-labelledby="models-title">
      <h2 id="models-title" className="fd-section-title">
        Model provider
      </h2>
      <p className="fd-muted">
        {settings?.configured
          ? `This workspace uses its own key (ending ${settings.apiKeyLast4 ?? "…"}).`
          : "No key of its own: agents use the server's OPENAI_API_KEY, or the built-in offline model."}{" "}
        Any OpenAI-compatible service works. A base URL on a private address (a self-hosted model) must be on
        the workspace's HTTP allow-list.
      </p>
      {banner ? (
        <p className="fd-alert fd-alert--error" role="alert">
          {banner}
        </p>
      ) : null}
      <form onSubmit={(event) => void save(event)}>
        <div className="fd-settings__grid">
          <TextField
            label={settings?.configured ? "New API key (leave empty to keep)" : "API key"}
            name="modelApiKey"
            type="password"
            autoComplete="off"
            value={apiKey}
            onChange={(event) => setApiKey(event.target.value)}
          />
          <TextField
            label="Base URL"
            name="modelBaseUrl"
            type="url"
            placeholder="https://api.openai.com/v1"
            value={baseUrl}
            onChange={(event) => setBaseUrl(event.target.value)}
          />
          <TextField
            label="Default model"
            name="modelDefault"
            placeholder="gpt-4o-mini"
            value={model}
            onChange={(event) => setModel(event.target.value)}
          />
        </div>
        <div className="fd-row">
          <button type="submit" className="fd-button fd-button--primary">
            Save model settings
          </button>
          <button type="button" className="fd-button" disabled={testing} onClick={() => void runTest()}>
            {testing ? "Testing…" : "Test connection"}
          </button>
        </div>
      </form>
      <div role="status" aria-live="polite">
        {test ? (
          <p
            className={`fd-alert ${test.ok ? "fd-alert--info" : "fd-alert--error"}`}
            data-testid="model-test"
          >
            {test.ok ? "Connection works. " : `Connection failed${test.code ? ` (${test.code})` : ""}. `}
            {test.message}
          </p>
        ) : null}
      </div>
    </section>
  );
}
