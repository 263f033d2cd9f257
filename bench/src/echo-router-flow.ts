/**
 * The echo-router flow of the webhook benchmarks (`webhook-flowdeck-server.ts`) and the storage-shape benches
 * (`journal-placement-bench.ts`, `outbox-shape-bench.ts`): start → set → condition → one of two ends, behind a
 * webhook trigger. A module of its own so the benches can use it without starting the webhook server.
 */
export const ECHO_ROUTER_FLOW = `name: echo_router
trigger: { type: webhook }
nodes:
  - name: start
    type: start
    config:
      inputs:
        - { name: message, type: string, required: true }
  - name: remember
    type: set
    config: { values: { text: "{{ input.message }}" } }
  - name: is_order
    type: condition
    config: { expression: "vars.text.contains('order')" }
  - name: order_reply
    type: end
    config: { output: { route: order, echo: "{{ vars.text }}" } }
  - name: other_reply
    type: end
    config: { output: { route: other, echo: "{{ vars.text }}" } }
edges:
  - { from: start, to: remember }
  - { from: remember, to: is_order }
  - { from: is_order, to: order_reply, port: then }
  - { from: is_order, to: other_reply, port: else }
`;
