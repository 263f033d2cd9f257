import { useState, type FormEvent } from "react";
import { Link, useLocation, useSearch } from "wouter";
import { describeError } from "../api";
import { useApi } from "../app/api-context";
import { TextField } from "../ui/text-field";
import { AuthLayout } from "./auth-layout";
import { safeNextPath } from "./safe-next-path";

export function SignInPage() {
  const api = useApi();
  const [, navigate] = useLocation();
  const search = useSearch();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await api.login(email.trim(), password);
      navigate(safeNextPath(new URLSearchParams(search).get("next")));
    } catch (caught) {
      setError(describeError(caught));
      setBusy(false);
    }
  }

  return (
    <AuthLayout
      title="Sign in"
      subtitle={
        <>
          New to Flowdeck? <Link href="/sign-up">Create a workspace</Link>
        </>
      }
    >
      <form className="fd-auth__form" onSubmit={submit} aria-label="Sign in">
        {error ? (
          <div className="fd-alert fd-alert--error" role="alert">
            {error}
          </div>
        ) : null}
        <TextField
          label="Email"
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
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        <button type="submit" className="fd-button fd-button--primary fd-button--block" disabled={busy}>
          {busy ? "Signing in…" : "Sign in"}
        </button>
      </form>
    </AuthLayout>
  );
}
