import passport from "passport";
import { Strategy as LocalStrategy } from "passport-local";
import type { NextFunction, Request, RequestHandler, Response } from "express";
import type { Database } from "@flowdeck/runtime";
import { ApiError } from "../kit/api-error";
import type { ServerConfig } from "../config/server-config";
import { AccessTokenStrategy, ACCESS_TOKEN_STRATEGY } from "./access-token-strategy";
import { setAuth, type AuthContext } from "./auth-context";
import type { LoginThrottle } from "./login-throttle";
import type { MembershipCheck } from "./membership-check";
import { checkPasswordLogin, type LoginSuccess } from "./password-login";
import { API_KEY_STRATEGY, ApiKeyStrategy, presentsApiKey } from "../api-keys/api-key-strategy";

export const LOCAL_STRATEGY = "flowdeck-password";

export interface AuthMiddleware {
  /** Requires a valid access token or API key (`Bearer fdk.…`); sets res.locals.auth or answers 401 FD310. */
  readonly requireUser: RequestHandler;
  /** passport-local on `{ email, password }`: resolves the login or throws FD311 / FD314. */
  passwordLogin(req: Request, res: Response): Promise<LoginSuccess>;
}

/** One Passport instance per app (not the global singleton), sessions off: every request carries its token. */
export function createAuthMiddleware(deps: {
  db: Database;
  config: ServerConfig;
  throttle: LoginThrottle;
  membership: MembershipCheck;
}): AuthMiddleware {
  const instance = new passport.Passport();
  instance.use(ACCESS_TOKEN_STRATEGY, new AccessTokenStrategy(deps.config, deps.membership));
  instance.use(API_KEY_STRATEGY, new ApiKeyStrategy(deps.db));
  instance.use(
    LOCAL_STRATEGY,
    new LocalStrategy(
      { usernameField: "email", passwordField: "password", passReqToCallback: true, session: false },
      (req, email, password, done) => {
        checkPasswordLogin(deps, { email, password, ip: req.ip ?? "" }).then(
          (login) => done(null, login ?? false),
          (error: unknown) => done(error),
        );
      },
    ),
  );

  const requireUser: RequestHandler = (req, res, next: NextFunction) => {
    const key = presentsApiKey(req);
    const authenticate = instance.authenticate(
      key ? API_KEY_STRATEGY : ACCESS_TOKEN_STRATEGY,
      { session: false },
      (error: unknown, user: AuthContext | false) => {
        if (error) return next(error);
        if (!user) {
          return next(
            new ApiError("FD310", key ? "This API key is not valid." : "A valid access token is required."),
          );
        }
        setAuth(res, user);
        next();
      },
    ) as RequestHandler;
    authenticate(req, res, next);
  };

  function passwordLogin(req: Request, res: Response): Promise<LoginSuccess> {
    return new Promise((resolve, reject) => {
      const authenticate = instance.authenticate(
        LOCAL_STRATEGY,
        { session: false },
        (error: unknown, login: LoginSuccess | false) => {
          if (error) reject(error);
          else if (!login) reject(new ApiError("FD311", "Wrong email or password."));
          else resolve(login);
        },
      ) as RequestHandler;
      authenticate(req, res, reject);
    });
  }

  return { requireUser, passwordLogin };
}
