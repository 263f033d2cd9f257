/** A flow that asks one question and answers it: a run that waits, and completes once answered. */
export const ASK_NAME_FLOW = `name: greeter
nodes:
  - { name: start, type: start }
  - name: ask_name
    type: ask
    config: { prompt: "What is your name?", variable: who }
  - { name: done, type: end, config: { reply: "Hello {{ vars.who }}" } }
edges:
  - { from: start, to: ask_name }
  - { from: ask_name, to: done }
`;
