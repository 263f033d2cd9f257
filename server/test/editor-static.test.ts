import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { get as httpGet } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { editorNavigations, editorStatic } from "../src/app/editor-static";
import type { Logger } from "../src/kit/logger";
import type { RouteDefinition } from "../src/kit/route-table";

const routeTable = [
  {
    method: "get",
    path: "/workflows/:id",
    summary: "x",
    auth: "user",
    status: 200,
    handler: async () => undefined,
  },
  {
    method: "post",
    path: "/auth/login",
    summary: "x",
    auth: "public",
    status: 200,
    handler: async () => undefined,
  },
] as RouteDefinition[];

function recordingLogger(lines: string[]): Logger {
  const write = (message: string) => void lines.push(message);
  return { debug: write, info: write, warn: write, error: write };
}

describe("serving the built editor", () => {
  let dist: string;
  let url: string;
  let close: () => Promise<void>;

  beforeAll(async () => {
    dist = mkdtempSync(join(tmpdir(), "flowdeck-editor-static-"));
    mkdirSync(join(dist, "assets"));
    writeFileSync(join(dist, "index.html"), "<!doctype html><title>Flowdeck</title>");
    writeFileSync(join(dist, "assets", "index-abc123.js"), "console.log(1)");
    writeFileSync(join(dist, "favicon.svg"), "<svg/>");
    const app = express();
    // Browser navigations first, then the API, as createApp mounts them.
    const navigations = editorNavigations({ distDir: dist });
    if (!navigations) throw new Error("navigation middleware missing");
    app.use(navigations);
    app.get("/metrics", (_req, res) => void res.type("text/plain").send("metrics"));
    // An API route that exists answers itself; the editor is mounted after it, like in createApp.
    app.get("/workflows/:id", (_req, res) => void res.json({ api: true }));
    const editor = editorStatic({ distDir: dist, routeTable, log: recordingLogger([]) });
    if (!editor) throw new Error("editor middleware missing");
    app.use(editor);
    app.use((_req, res) => void res.status(404).json({ error: { code: "FD320" } }));
    const server = app.listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    const address = server.address();
    url = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
    close = () => new Promise((resolve) => server.close(() => resolve()));
  });
  afterAll(async () => {
    await close?.();
    rmSync(dist, { recursive: true, force: true });
  });

  const get = (path: string, accept = "text/html,application/xhtml+xml,*/*;q=0.8") =>
    fetch(`${url}${path}`, { headers: { accept } });

  it("answers editor pages with index.html, never cached, so the router in the page takes over", async () => {
    for (const path of ["/", "/sign-in", "/flows/0b7e", "/team"]) {
      const res = await get(path);
      expect({ path, status: res.status }).toEqual({ path, status: 200 });
      expect(await res.text()).toContain("<title>Flowdeck</title>");
      expect(res.headers.get("cache-control")).toBe("no-cache");
    }
  });

  it("serves hashed assets for a year and other files as they are", async () => {
    const asset = await get("/assets/index-abc123.js", "*/*");
    expect(asset.status).toBe(200);
    expect(asset.headers.get("cache-control")).toContain("immutable");
    expect((await get("/favicon.svg", "image/*")).status).toBe(200);
  });

  it("leaves API paths, missing assets and non-HTML requests to the JSON 404", async () => {
    expect(await (await get("/workflows/abc")).json()).toEqual({ api: true });
    for (const [path, accept] of [
      ["/workflows/abc/unknown", "text/html"],
      ["/auth/nope", "text/html"],
      ["/assets/missing.js", "text/html"],
      ["/sign-in", "application/json"],
      ["/sign-in", ""],
    ]) {
      const res = await get(path ?? "", accept);
      expect({ path, accept, status: res.status }).toEqual({ path, accept, status: 404 });
    }
    const post = await fetch(`${url}/sign-in`, { method: "POST", headers: { accept: "text/html" } });
    expect(post.status).toBe(404);
  });

  it("answers a browser navigation to a path the API shares (/workflows/…, /runs) with index.html, not JSON", async () => {
    // node:http, because fetch sets Sec-Fetch-Mode itself (always `cors`), as a browser's fetch does.
    const navigate = (path: string, headers: Record<string, string> = {}) =>
      new Promise<{ status: number; text(): Promise<string>; json(): Promise<unknown> }>(
        (resolve, reject) => {
          const request = httpGet(
            `${url}${path}`,
            {
              headers: {
                accept: "text/html,*/*;q=0.8",
                "sec-fetch-mode": "navigate",
                "sec-fetch-dest": "document",
                ...headers,
              },
            },
            (res) => {
              let body = "";
              res.on("data", (chunk: Buffer) => (body += chunk.toString()));
              res.on("end", () =>
                resolve({
                  status: res.statusCode ?? 0,
                  text: async () => body,
                  json: async () => JSON.parse(body) as unknown,
                }),
              );
            },
          );
          request.on("error", reject);
        },
      );
    for (const path of ["/workflows/abc", "/runs", "/analytics"]) {
      const res = await navigate(path);
      expect({ path, status: res.status }).toEqual({ path, status: 200 });
      expect(await res.text()).toContain("<title>Flowdeck</title>");
    }
    // fetch/XHR from the editor itself (cors mode) and machine endpoints keep the API's answers.
    expect(
      await (
        await navigate("/workflows/abc", { "sec-fetch-mode": "cors", "sec-fetch-dest": "empty" })
      ).json(),
    ).toEqual({ api: true });
    expect(await (await navigate("/metrics")).text()).toBe("metrics");
    // A navigation that does not want HTML (a download) or POST is not a page.
    expect(await (await navigate("/workflows/abc", { accept: "application/json" })).json()).toEqual({
      api: true,
    });
  });

  it("is skipped, with one log line, when the editor has not been built", () => {
    const lines: string[] = [];
    const missing = editorStatic({ distDir: join(dist, "nowhere"), routeTable, log: recordingLogger(lines) });
    expect(missing).toBeUndefined();
    expect(lines).toEqual(["editor not built: serving the API only"]);
  });
});
