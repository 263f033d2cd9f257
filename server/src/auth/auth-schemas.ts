import Type from "typebox";
import { MAX_PASSWORD_BYTES } from "./password";

// Bodies of the /auth routes. additionalProperties: false everywhere: a `tenantId` or `role` smuggled into a
// body is a 400, never silently ignored and never honoured. Registration has no `plan`: every tenant starts on
// the default plan and only the operator changes it (plans/set-tenant-plan.ts), so `plan` is refused like `role`.
const Email = Type.String({ format: "email", minLength: 3, maxLength: 320 });
const NewPassword = Type.String({ minLength: 10, maxLength: MAX_PASSWORD_BYTES });
const Password = Type.String({ minLength: 1, maxLength: MAX_PASSWORD_BYTES });
const RefreshToken = Type.String({ minLength: 1, maxLength: 200 });

export const RegisterBody = Type.Object(
  {
    tenantName: Type.String({ minLength: 1, maxLength: 200, title: "Company or team name" }),
    email: Email,
    password: NewPassword,
  },
  { additionalProperties: false },
);

export const LoginBody = Type.Object({ email: Email, password: Password }, { additionalProperties: false });

export const RefreshBody = Type.Object({ refreshToken: RefreshToken }, { additionalProperties: false });

export const LogoutBody = Type.Object({ refreshToken: RefreshToken }, { additionalProperties: false });
