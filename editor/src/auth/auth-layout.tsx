// Sign in / sign up frame: a product pitch beside the form, as in the products people compare us with.
import type { ReactNode } from "react";
import { Icon } from "../ui/icon";

const POINTS = [
  "Draw support flows on a canvas, or write them as YAML: both stay in step.",
  "Agents, tools and hand-off to humans, versioned and published safely.",
  "Multi-tenant from the start: every team in its own workspace.",
];

export function AuthLayout({
  title,
  subtitle,
  children,
}: {
  title: string;
  subtitle: ReactNode;
  children: ReactNode;
}) {
  return (
    <div className="fd-auth">
      <aside className="fd-auth__brand" aria-label="About Flowdeck">
        <div className="fd-brand">
          <span className="fd-brand__mark" aria-hidden="true">
            <Icon name="flow" />
          </span>
          Flowdeck
        </div>
        <div className="fd-auth__pitch">
          <h2>Build AI customer support that you can trust.</h2>
          <ul className="fd-auth__points">
            {POINTS.map((point) => (
              <li key={point}>
                <Icon name="check" />
                {point}
              </li>
            ))}
          </ul>
        </div>
        <p className="fd-auth__footnote">Open source · self-hostable · no data leaves your servers</p>
      </aside>
      <main className="fd-auth__main">
        <div className="fd-auth__card">
          <header>
            <h1 className="fd-auth__title">{title}</h1>
            <p className="fd-auth__subtitle">{subtitle}</p>
          </header>
          {children}
        </div>
      </main>
    </div>
  );
}
