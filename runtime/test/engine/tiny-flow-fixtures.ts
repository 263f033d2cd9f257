/** The flows of tiny-flows.test.ts: one behaviour each, in the spirit of Node-RED's per-node specs. */
export const TINY_FLOWS = {
  hello: `name: hello
nodes:
  - { name: start, type: start }
  - { name: greet, type: reply, config: { text: "You said: {{ input.message }}" } }
  - { name: done, type: end, config: { reply: "Bye {{ vars.who | default: 'friend' }}", outcome: resolved } }
edges:
  - { from: start, to: greet }
  - { from: greet, to: done }
`,
  counter: `name: counter
vars: { n: 0 }
nodes:
  - { name: start, type: start }
  - { name: bump, type: set, config: { expressions: { n: "vars.n + 1" } } }
  - { name: done, type: end, config: { reply: "{{ vars.n }}" } }
edges:
  - { from: start, to: bump }
  - { from: bump, to: bump, condition: "vars.n < 5" }
  - { from: bump, to: done }
`,
  asker: `name: asker
nodes:
  - { name: start, type: start }
  - name: ask_email
    type: ask
    config:
      prompt: "Your email?"
      variable: email
      validation: "answer.contains('@')"
      retry_prompt: "That is not an email."
  - { name: done, type: end, config: { reply: "Thanks {{ vars.email }}" } }
edges:
  - { from: start, to: ask_email }
  - { from: ask_email, to: done }
`,
  human: `name: human
nodes:
  - { name: start, type: start }
  - { name: park, type: handoff, config: { reason: "asked", queue: vip, priority: high } }
  - { name: check, type: condition, config: { expression: "nodes.park.output.resolved" } }
  - { name: closed, type: end, config: { reply: "Glad we could help", outcome: resolved } }
  - { name: open, type: end, config: { outcome: escalated } }
edges:
  - { from: start, to: park }
  - { from: park, to: check }
  - { from: check, to: closed, port: then }
  - { from: check, to: open, port: else }
`,
  flaky: `name: flaky
nodes:
  - { name: start, type: start }
  - { name: shaky, type: testkit.flaky, config: { failures: 2 }, retry: { attempts: 3, backoff_ms: 1 } }
  - { name: done, type: end }
edges:
  - { from: start, to: shaky }
  - { from: shaky, to: done }
`,
  broken: `name: broken
nodes:
  - { name: start, type: start }
  - { name: shaky, type: testkit.flaky, config: { failures: 5 }, retry: { attempts: 2, backoff_ms: 1 } }
  - { name: sorry, type: reply, config: { text: "Sorry: {{ nodes.shaky.output.error.code }}" } }
  - { name: done, type: end }
edges:
  - { from: start, to: shaky }
  - { from: shaky, to: done }
  - { from: shaky, to: sorry, port: error }
  - { from: sorry, to: done }
`,
  unhandled: `name: unhandled
nodes:
  - { name: start, type: start }
  - { name: shaky, type: testkit.flaky, config: { failures: 5 } }
  - { name: done, type: end }
edges:
  - { from: start, to: shaky }
  - { from: shaky, to: done }
`,
  timeout: `name: timeout
nodes:
  - { name: start, type: start }
  - { name: stuck, type: testkit.slow, timeout_ms: 20 }
  - { name: late, type: end, config: { outcome: unresolved } }
  - { name: done, type: end }
edges:
  - { from: start, to: stuck }
  - { from: stuck, to: done }
  - { from: stuck, to: late, port: error }
`,
  slow: `name: slow
nodes:
  - { name: start, type: start }
  - { name: stuck, type: testkit.slow }
  - { name: done, type: end }
edges:
  - { from: start, to: stuck }
  - { from: stuck, to: done }
`,
  parent: `name: parent
nodes:
  - { name: start, type: start }
  - { name: call, type: subflow, config: { workflow: child, input: { who: "{{ input.name }}" } } }
  - { name: done, type: end, config: { reply: "child said {{ nodes.call.output.output.answer }}" } }
edges:
  - { from: start, to: call }
  - { from: call, to: done }
`,
  child: `name: child
nodes:
  - { name: start, type: start }
  - { name: q, type: ask, config: { prompt: "Hi {{ input.who }}, colour?", variable: colour } }
  - { name: done, type: end, config: { output: { answer: "{{ vars.colour }}" } } }
edges:
  - { from: start, to: q }
  - { from: q, to: done }
`,
  guarded: `name: guarded
nodes:
  - { name: start, type: start }
  - { name: one, type: end, config: { reply: "first edge" } }
  - { name: two, type: end, config: { reply: "fallback edge" } }
edges:
  - { from: start, to: one, condition: "output.missing == 'x'" }
  - { from: start, to: two }
`,
  hostile: `name: hostile
nodes:
  - { name: start, type: start }
  - { name: echo, type: reply, config: { text: "Echo: {{ input.message }} / {{ input.constructor }} / {{ input.__proto__ }}" } }
  - { name: done, type: end }
edges:
  - { from: start, to: echo }
  - { from: echo, to: done, condition: "input.message != ''" }
`,
};
