/**
 * The language's hostile inputs (bench/src/hostile-corpus.ts, schemas/test/hostile-input.test.ts), copied: the
 * server may not import bench. `refused` cases cannot be stored as a draft (FD335); the others are stored
 * with their problems and refused at publish (FD332). Bench's FD138 cases (unbounded work) are warnings, which
 * publish, so they are not here.
 */
export interface HostileYaml {
  readonly label: string;
  /** The code this case is about; `flowdeck validate` reports it, maybe beside others. */
  readonly code: string;
  readonly text: string;
  /** The language refuses to load it, so no draft can hold it. */
  readonly refused: boolean;
}

const BASE =
  "name: h\nnodes:\n  - { name: start, type: start }\n  - { name: done, type: end }\nedges:\n  - { from: start, to: done }\n";

function aliasBomb(): string {
  const levels = ["a: &a [x, x, x, x, x, x, x, x, x, x]"];
  for (let i = 1; i < 10; i += 1) {
    const name = String.fromCharCode(97 + i);
    levels.push(
      `${name}: &${name} [${Array(10)
        .fill(`*${String.fromCharCode(96 + i)}`)
        .join(", ")}]`,
    );
  }
  return `${levels.join("\n")}\n${BASE}`;
}

export function hostileYaml(): HostileYaml[] {
  const refused = (label: string, code: string, text: string) => ({ label, code, text, refused: true });
  const stored = (label: string, code: string, text: string) => ({ label, code, text, refused: false });
  return [
    refused("broken YAML syntax", "FD100", "name: x\nnodes: [\n"),
    refused("10 MB file", "FD101", `${BASE}# ${"x".repeat(10 * 1024 * 1024)}\n`),
    refused("alias bomb", "FD102", aliasBomb()),
    refused("many aliases", "FD102", `x: &x 1\nlist: [${Array(150).fill("*x").join(", ")}]\n${BASE}`),
    refused("10,000-deep nesting", "FD103", `${BASE}vars:\n  x: ${"[".repeat(10000)}${"]".repeat(10000)}\n`),
    refused(
      "__proto__ key",
      "FD104",
      BASE.replace("name: h", "name: h\nvars:\n  __proto__: { admin: true }"),
    ),
    refused(
      "constructor key",
      "FD104",
      BASE.replace("type: end }", "type: end, config: { constructor: 1 } }"),
    ),
    refused("a list, not a workflow", "FD105", "- a\n- b\n"),
    refused("duplicate key", "FD106", BASE.replace("name: h", "name: h\nname: h2")),
    refused("a list used as a key", "FD108", `${BASE}? [a]\n: b\n`),
    refused("no name", "FD111", BASE.replace("name: h\n", "")),
    refused("a name that is not snake_case", "FD113", BASE.replace("name: h", "name: Bad Name")),
    stored("wrong type", "FD110", BASE.replace("name: h", "name: h\npriority: [high]")),
    stored("unknown node type", "FD114", BASE.replace("type: end", "type: nope")),
    stored(
      "unknown config field",
      "FD112",
      BASE.replace("type: end }", "type: end, config: { colour: red } }"),
    ),
    stored("dangling edge", "FD123", BASE.replace("to: done }", "to: gone }")),
    stored("two starts", "FD121", BASE.replace("type: end", "type: start")),
    stored("bad CEL condition", "FD130", BASE.replace("to: done }", 'to: done, condition: "output.x &&" }')),
    stored(
      "bad Liquid template",
      "FD131",
      BASE.replace("type: end }", 'type: end, config: { reply: "{% if x %}" } }'),
    ),
    stored("include of a secret file", "FD136", reply("{% include '.flowdeck/jwt-secret' %}")),
    stored("render of the project's files", "FD136", reply("{% render '../../package.json' %}")),
    stored(
      "lookahead pattern",
      "FD137",
      BASE.replace("to: done }", "to: done, condition: \"input.message.matches('^(?=a)b')\" }"),
    ),
  ];
}

function reply(template: string): string {
  return BASE.replace("type: end }", `type: end, config: { reply: "${template}" } }`);
}
