// A modal on the native <dialog>: the browser traps focus, closes on Escape and restores focus afterwards, which
// is more reliable than any hand-rolled focus trap.
import { useEffect, useId, useRef, type FormEvent, type ReactNode } from "react";

export interface DialogProps {
  readonly open: boolean;
  readonly title: string;
  readonly description?: ReactNode;
  readonly onClose: () => void;
  /** Called on submit (Enter in a field or the submit button). */
  readonly onSubmit?: () => void;
  readonly children?: ReactNode;
  /** The buttons row. */
  readonly actions: ReactNode;
  /** Room for a grid of cards (the template gallery) instead of a form's width. */
  readonly wide?: boolean;
}

export function Dialog({
  open,
  title,
  description,
  onClose,
  onSubmit,
  children,
  actions,
  wide,
}: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const descriptionId = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSubmit?.();
  };

  return (
    <dialog
      ref={ref}
      className={wide ? "fd-dialog fd-dialog--wide" : "fd-dialog"}
      aria-labelledby={titleId}
      aria-describedby={description ? descriptionId : undefined}
      onClose={onClose}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
    >
      {open ? (
        <form className="fd-dialog__form" onSubmit={submit} noValidate>
          <div className="fd-dialog__header">
            <h2 id={titleId} className="fd-dialog__title">
              {title}
            </h2>
            {description ? (
              <p id={descriptionId} className="fd-dialog__description">
                {description}
              </p>
            ) : null}
          </div>
          {children}
          <div className="fd-dialog__actions">{actions}</div>
        </form>
      ) : null}
    </dialog>
  );
}
