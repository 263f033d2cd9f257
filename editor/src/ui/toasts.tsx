// Short-lived notices ("Workflow deleted", "Could not save: …") in a polite live region, so screen readers
// announce them without stealing focus.
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from "react";
import { Icon } from "./icon";

export type ToastKind = "info" | "error";

export interface Toast {
  readonly id: number;
  readonly kind: ToastKind;
  readonly message: string;
  /** Listed under the message, e.g. the first problems of a refused workflow file. */
  readonly lines?: readonly string[];
}

type Notify = (message: string, kind?: ToastKind, lines?: readonly string[]) => void;

const ToastContext = createContext<Notify | null>(null);

/** How long a notice stays up; errors and notices with lines stay until closed. */
const INFO_TOAST_MS = 4000;

let nextId = 1;

export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const dismiss = useCallback((id: number) => setToasts((all) => all.filter((t) => t.id !== id)), []);
  const notify = useCallback<Notify>(
    (message, kind = "info", lines) => {
      const id = nextId++;
      setToasts((all) => [...all.slice(-3), { id, kind, message, ...(lines?.length ? { lines } : {}) }]);
      // A notice with lines under it (what a template created, what to publish first) is more than anyone reads
      // in 4 s: it stays until closed, as errors do.
      if (kind === "info" && !lines?.length) setTimeout(() => dismiss(id), INFO_TOAST_MS);
    },
    [dismiss],
  );
  const value = useMemo(() => notify, [notify]);
  return (
    <ToastContext.Provider value={value}>
      {children}
      <div className="fd-toasts" role="status" aria-live="polite">
        {toasts.map((toast) => (
          <ToastView key={toast.id} toast={toast} onDismiss={() => dismiss(toast.id)} />
        ))}
      </div>
    </ToastContext.Provider>
  );
}

export function ToastView({ toast, onDismiss }: { readonly toast: Toast; readonly onDismiss: () => void }) {
  return (
    <div className={`fd-toast fd-toast--${toast.kind}`}>
      <div className="fd-toast__body">
        {toast.message}
        {toast.lines ? (
          <ul className="fd-toast__lines">
            {toast.lines.map((line, index) => (
              <li key={`l${index}`}>{line}</li>
            ))}
          </ul>
        ) : null}
      </div>
      <button type="button" className="fd-icon-button" aria-label="Dismiss" onClick={onDismiss}>
        <Icon name="x" />
      </button>
    </div>
  );
}

export function useToast(): Notify {
  const notify = useContext(ToastContext);
  if (!notify)
    throw new Error("FD602 useToast() outside <ToastProvider>. Hint: render the app inside <App />.");
  return notify;
}
