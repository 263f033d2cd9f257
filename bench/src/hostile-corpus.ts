/** One sample per class of bad input the language must answer with its own code, quickly. */
export function hostileCorpus(): Array<{ label: string; code: string; text: string }> {
  const bomb = ["a: &a [x, x, x, x, x, x, x, x, x, x]"];
  for (let i = 1; i < 10; i += 1) {
    bomb.push(
      `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10)
        .fill(`*${String.fromCharCode(96 + i)}`)
        .join(", ")}]`,
    );
  }
  const base =
    "name: h\nnodes:\n  - { name: start, type: start }\n  - { name: done, type: end }\nedges:\n  - { from: start, to: done }\n";
  return [
    { label: "broken YAML syntax", code: "FD100", text: "name: x\nnodes: [\n" },
    { label: "wrong type", code: "FD110", text: base.replace("name: h", "name: h\npriority: [high]") },
    { label: "unknown node type", code: "FD114", text: base.replace("type: end", "type: nope") },
    {
      label: "unknown config field",
      code: "FD112",
      text: base.replace("type: end }", "type: end, config: { colour: red } }"),
    },
    { label: "dangling edge", code: "FD123", text: base.replace("to: done }", "to: gone }") },
    { label: "two starts", code: "FD121", text: base.replace("type: end", "type: start") },
    {
      label: "unreachable node",
      code: "FD124",
      text: base.replace("edges:\n  - { from: start, to: done }\n", "edges: []\n"),
    },
    {
      label: "bad CEL condition",
      code: "FD130",
      text: base.replace("to: done }", 'to: done, condition: "output.x &&" }'),
    },
    {
      label: "bad Liquid template",
      code: "FD131",
      text: base.replace("type: end }", 'type: end, config: { reply: "{% if x %}" } }'),
    },
    ...fileTags(base),
    {
      label: "100-million-step loop",
      code: "FD138",
      text: reply(base, "{% for i in (1..100000000) %}x{% endfor %}"),
    },
    {
      label: "pattern only known at run",
      code: "FD138",
      text: base.replace("to: done }", `to: done, condition: "input.message.matches(input.pattern)" }`),
    },
    {
      label: "lookahead pattern",
      code: "FD137",
      text: base.replace("to: done }", `to: done, condition: "input.message.matches('^(?=a)b')" }`),
    },
    { label: "alias bomb", code: "FD102", text: `${bomb.join("\n")}\n${base}` },
    {
      label: "10,000-deep nesting",
      code: "FD103",
      text: `${base}vars:\n  x: ${"[".repeat(10000)}${"]".repeat(10000)}\n`,
    },
    { label: "10 MB file", code: "FD101", text: `${base}# ${"x".repeat(10 * 1024 * 1024)}\n` },
    {
      label: "__proto__ key",
      code: "FD104",
      text: base.replace("name: h", "name: h\nvars:\n  __proto__: { admin: true }"),
    },
  ];
}

function reply(base: string, template: string): string {
  return base.replace("type: end }", `type: end, config: { reply: "${template}" } }`);
}

/** Templates that ask for a file: the project's own files and a secret; refused before anything is read. */
function fileTags(base: string): Array<{ label: string; code: string; text: string }> {
  const targets = ["package.json", "../../package.json", ".flowdeck/jwt-secret", "/etc/passwd"];
  return ["include", "render", "layout"].flatMap((tag) =>
    targets.map((target) => ({
      label: `${tag} '${target}'`,
      code: "FD136",
      text: reply(base, `{% ${tag} '${target}' %}`),
    })),
  );
}
