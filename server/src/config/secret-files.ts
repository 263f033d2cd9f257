import { createHash } from "node:crypto";
import { chmod, constants, copyFile, mkdir, open, rename, stat, unlink, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { basename, isAbsolute, join, parse, relative, resolve, sep } from "node:path";
import { StartupError } from "./startup-error";

/**
 * Development secrets kept on disk (the JWT signing secret, the channel-secret key) when the environment does
 * not give them. They live in a folder of their own outside the working folder and the data folder, so
 * nothing that serves or renders files relative to either (a template's file access, a static route, a
 * backup of the data folder) can reach them.
 */
export const SECRET_FILE_MODE = 0o600;
export const SECRETS_DIR_MODE = 0o700;

// POSIX permission bits mean nothing on Windows, where the folder's ACL (the user's profile) protects them.
const CHECK_MODES = process.platform !== "win32";
// Any access for group or others: a secret another account can read (or replace) is not a secret.
const OPEN_TO_OTHERS = 0o077;
// For the folder only writing matters (it lets another account swap a file); the files themselves are 0600.
const WRITABLE_BY_OTHERS = 0o022;

/**
 * FLOWDECK_SECRETS_DIR, else `<XDG_CONFIG_HOME or ~/.config>/flowdeck/secrets/<data folder name>-<hash>`: one
 * folder per data folder, since its channel key must match the secrets sealed in that folder's database.
 * Refused (FD397) inside the working folder or the data folder.
 */
export function secretsDirFor(env: NodeJS.ProcessEnv, dataDir: string): string {
  const data = resolve(dataDir);
  const given = env.FLOWDECK_SECRETS_DIR?.trim();
  const dir = given ? resolve(given) : join(configHome(env), "flowdeck", "secrets", instanceName(data));
  const cwd = process.cwd();
  // A service started in `/` (systemd's default) has everything "inside" its working folder; nothing to learn.
  const reachable: Array<[string, string]> = [["data folder", data]];
  if (parse(cwd).root !== cwd) reachable.push(["working folder", cwd]);
  for (const [name, folder] of reachable) {
    if (isInside(dir, folder)) {
      throw new StartupError(
        "FD397",
        `The secrets folder ${dir} is inside the ${name} ${folder}, where templates or static files could reach it.`,
      );
    }
  }
  return dir;
}

export interface LoadSecretFileOptions {
  /** The secrets folder (secretsDirFor). Created 0700 when missing. */
  readonly dir: string;
  /** The file's name, e.g. `jwt-secret`. */
  readonly name: string;
  /** Where earlier versions kept the file (the data folder): moved from there once, so nothing is lost. */
  readonly legacyDir: string;
  /** A new secret's text, for a first start. */
  readonly generate: () => string;
  readonly warn: (message: string, fields?: Record<string, unknown>) => void;
  /** Logged when a secret is generated, e.g. "FLOWDECK_JWT_SECRET is not set; generated a development secret". */
  readonly generatedMessage: string;
}

/** The secret's text (trimmed): read, moved from the legacy place, or generated, always as a 0600 file. */
export async function loadSecretFile(options: LoadSecretFileOptions): Promise<string> {
  await ensurePrivateDir(options.dir);
  const file = join(options.dir, options.name);
  const existing = await readPrivateFile(file);
  if (existing !== undefined) return existing;
  const legacy = join(options.legacyDir, options.name);
  if (resolve(legacy) !== resolve(file) && (await moveLegacyFile(legacy, file))) {
    options.warn("moved a development secret out of the data folder", { from: legacy, file });
  } else {
    try {
      await writeFile(file, `${options.generate()}\n`, { mode: SECRET_FILE_MODE, flag: "wx" });
      options.warn(options.generatedMessage, { file });
    } catch (error) {
      // Another process starting beside this one wrote it first: use theirs.
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
  }
  const text = await readPrivateFile(file);
  if (text === undefined) throw new StartupError("FD397", `The secret file ${file} could not be created.`);
  return text;
}

async function ensurePrivateDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: SECRETS_DIR_MODE });
  const info = await stat(dir);
  if (!info.isDirectory()) throw new StartupError("FD397", `The secrets folder ${dir} is not a folder.`);
  if (CHECK_MODES && (info.mode & WRITABLE_BY_OTHERS) !== 0) {
    throw new StartupError(
      "FD396",
      `The secrets folder ${dir} is writable by group or others (mode ${octal(info.mode)}).`,
    );
  }
}

/** The file's text, undefined when there is none; FD396 when group or others may access it. */
async function readPrivateFile(file: string): Promise<string | undefined> {
  let handle;
  try {
    handle = await open(file, "r");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  try {
    // fstat on the opened file: what is checked is what is read, even if the path is swapped meanwhile.
    const info = await handle.stat();
    if (CHECK_MODES && (info.mode & OPEN_TO_OTHERS) !== 0) {
      throw new StartupError(
        "FD396",
        `The secret file ${file} is readable or writable by group or others (mode ${octal(info.mode)}).`,
      );
    }
    const text = (await handle.readFile("utf8")).trim();
    if (!text) throw new StartupError("FD397", `The secret file ${file} is empty.`);
    return text;
  } finally {
    await handle.close();
  }
}

/** Moves a file older versions kept in the data folder; false when there is none. */
async function moveLegacyFile(from: string, to: string): Promise<boolean> {
  // Checked (and refused) where it is: a secret that was open to others may have leaked, so it is not adopted.
  if ((await readPrivateFile(from)) === undefined) return false;
  try {
    await rename(from, to);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return false; // another process moved it first
    if (code !== "EXDEV") throw error;
    await copyFile(from, to, constants.COPYFILE_EXCL);
    await unlink(from);
  }
  await chmod(to, SECRET_FILE_MODE);
  return true;
}

function configHome(env: NodeJS.ProcessEnv): string {
  const xdg = env.XDG_CONFIG_HOME?.trim();
  if (xdg && isAbsolute(xdg)) return xdg;
  let home = "";
  try {
    home = homedir();
  } catch {
    // No home folder (a service account without one): the caller must say where secrets go.
  }
  if (!home) throw new StartupError("FD397", "There is no home folder to keep development secrets in.");
  return join(home, ".config");
}

function instanceName(dataDir: string): string {
  const hash = createHash("sha256").update(dataDir).digest("hex").slice(0, 12);
  return `${basename(dataDir).replace(/[^A-Za-z0-9._-]/g, "_") || "root"}-${hash}`;
}

function isInside(path: string, folder: string): boolean {
  const rel = relative(folder, path);
  return rel === "" || (rel !== ".." && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

function octal(mode: number): string {
  return `0${(mode & 0o777).toString(8)}`;
}
