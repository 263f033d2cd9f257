// Short-lived notices ("Workflow deleted", "Could not save: …") in a polite live region, so screen readers
// announce them without stealing focus.
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from "react";
import { Icon } from "./icon";

export type ToastKind = "info" | "error";

interface Toast {
  readonly id: number;
  readonly kind: ToastKind;
  readonly message: string;
}

type Notify = (message: string, kind?: ToastKind) => void;

const ToastContext = createContext<Notify | null>(null);

/** How long a notice stays up; errors stay until closed. */
const INFO_TOAST_MS = 4000;

let nextId = 1;

export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const dismiss = useCallback((id: number) => setToasts((all) => all.filter((t) => t.id !== id)), []);
  const notify = useCallback<Notify>(
    (message, kind = "info") => {
      const id = nextId++;
      setToasts((all) => [...all.slice(-3), { id, kind, message }]);
      if (kind === "info") setTimeout(() => dismiss(id), INFO_TOAST_MS);
    },
    [dismiss],
  );
  const value = useMemo(() => notify, [notify]);
  return (
    <ToastContext.Provider value={value}>
      {children}
      <div className="fd-toasts" role="status" aria-live="polite">
        {toasts.map((toast) => (
          <div key={toast.id} className={`fd-toast fd-toast--${toast.kind}`}>
            <span style={{ flex: 1 }}>{toast.message}</span>
            <button
              type="button"
              className="fd-icon-button"
              aria-label="Dismiss"
              onClick={() => dismiss(toast.id)}
            >
              <Icon name="x" />
            </button>
          </div>
        ))}
      </div>
    </ToastContext.Provider>
  );
}

export function useToast(): Notify {
  const notify = useContext(ToastContext);
  if (!notify)
    throw new Error("FD602 useToast() outside <ToastProvider>. Hint: render the app inside <App />.");
  return notify;
}
