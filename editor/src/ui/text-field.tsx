// A labelled input with hint and error wired through aria-describedby, so screen readers read both.
import { useId, type InputHTMLAttributes, type ReactNode } from "react";

export interface TextFieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, "id"> {
  readonly label: string;
  readonly hint?: ReactNode;
  readonly error?: string;
}

export function TextField({ label, hint, error, className, ...input }: TextFieldProps) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  return (
    <div className="fd-field">
      <label className="fd-field__label" htmlFor={id}>
        {label}
      </label>
      <input
        id={id}
        className={className ? `fd-input ${className}` : "fd-input"}
        aria-invalid={error ? true : undefined}
        aria-describedby={[hintId, errorId].filter(Boolean).join(" ") || undefined}
        {...input}
      />
      {hint ? (
        <span id={hintId} className="fd-field__hint">
          {hint}
        </span>
      ) : null}
      {error ? (
        <span id={errorId} className="fd-field__error" role="alert">
          {error}
        </span>
      ) : null}
    </div>
  );
}
