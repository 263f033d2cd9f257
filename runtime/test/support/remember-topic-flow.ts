/** A flow that says what the conversation remembered last time, then remembers this message as its topic. */
export const REMEMBER_TOPIC_FLOW = `name: remember_topic
nodes:
  - { name: start, type: start }
  - name: recall
    type: reply
    config: { text: "Last time: {{ conversation.topic | default: 'nothing' }}." }
  - name: keep
    type: set
    config: { conversation: { topic: "{{ input.message }}" } }
  - { name: done, type: end, config: { outcome: resolved } }
edges:
  - { from: start, to: recall }
  - { from: recall, to: keep }
  - { from: keep, to: done }
`;
