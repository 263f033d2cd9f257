import { useState, type FormEvent } from "react";
import { Link, useLocation } from "wouter";
import { describeError, isApiError } from "../api";
import { useApi } from "../app/api-context";
import { TextField } from "../ui/text-field";
import { AuthLayout } from "./auth-layout";

/** The server's rule (server/src/auth/auth-schemas.ts), checked here first to answer without a round trip. */
const MIN_PASSWORD_LENGTH = 10;

export function SignUpPage() {
  const api = useApi();
  const [, navigate] = useLocation();
  const [tenantName, setTenantName] = useState("");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string>();
  const [passwordError, setPasswordError] = useState<string>();
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(undefined);
    if (password.length < MIN_PASSWORD_LENGTH) {
      setPasswordError(`Use at least ${MIN_PASSWORD_LENGTH} characters.`);
      return;
    }
    setPasswordError(undefined);
    setBusy(true);
    try {
      // Every workspace starts on the free plan; the operator changes plans (flowdeck tenant set-plan).
      await api.register({ tenantName: tenantName.trim(), email: email.trim(), password });
      navigate("/");
    } catch (caught) {
      setError(
        isApiError(caught, "FD315")
          ? "An account with this email already exists. Sign in instead."
          : describeError(caught),
      );
      setBusy(false);
    }
  }

  return (
    <AuthLayout
      title="Create your workspace"
      subtitle={
        <>
          Already have an account? <Link href="/sign-in">Sign in</Link>
        </>
      }
    >
      <form className="fd-auth__form" onSubmit={submit} aria-label="Sign up">
        {error ? (
          <div className="fd-alert fd-alert--error" role="alert">
            {error}
          </div>
        ) : null}
        <TextField
          label="Company or team name"
          name="tenantName"
          autoComplete="organization"
          required
          maxLength={200}
          value={tenantName}
          onChange={(e) => setTenantName(e.target.value)}
        />
        <TextField
          label="Work email"
          type="email"
          name="email"
          autoComplete="email"
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
        />
        <TextField
          label="Password"
          type="password"
          name="password"
          autoComplete="new-password"
          required
          hint={`At least ${MIN_PASSWORD_LENGTH} characters.`}
          error={passwordError}
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        <p className="fd-field__hint">
          New workspaces start on the Free plan. To move to Pro or Enterprise, ask your Flowdeck operator.
        </p>
        <button type="submit" className="fd-button fd-button--primary fd-button--block" disabled={busy}>
          {busy ? "Creating your workspace…" : "Create workspace"}
        </button>
      </form>
    </AuthLayout>
  );
}
