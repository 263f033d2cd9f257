// Where an invitation link lands. A new email sets its password here; an existing account confirms its password
// (the server checks, so an invitation can never take an account over).
import { useState, type FormEvent } from "react";
import { useLocation, useSearch } from "wouter";
import { describeError } from "../api";
import { useApi } from "../app/api-context";
import { AuthLayout } from "../auth/auth-layout";
import { TextField } from "../ui/text-field";

export function AcceptInvitationPage() {
  const api = useApi();
  const [, navigate] = useLocation();
  const token = new URLSearchParams(useSearch()).get("token") ?? "";
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await api.acceptInvitation(token, password);
      navigate("/");
    } catch (caught) {
      setError(describeError(caught));
      setBusy(false);
    }
  }

  return (
    <AuthLayout title="Join the workspace" subtitle="You were invited to Flowdeck.">
      {token ? (
        <form className="fd-auth__form" onSubmit={submit} aria-label="Accept invitation">
          {error ? (
            <div className="fd-alert fd-alert--error" role="alert">
              {error}
            </div>
          ) : null}
          <TextField
            label="Password"
            type="password"
            name="password"
            autoComplete="new-password"
            required
            hint="New to Flowdeck: choose one (at least 10 characters). Already have an account: your password."
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
          <button type="submit" className="fd-button fd-button--primary fd-button--block" disabled={busy}>
            {busy ? "Joining…" : "Join workspace"}
          </button>
        </form>
      ) : (
        <div className="fd-alert fd-alert--error" role="alert">
          This link has no invitation in it. Ask for a new one.
        </div>
      )}
    </AuthLayout>
  );
}
