import type { Meta, StoryObj } from "@storybook/react-vite";
import { expect, within } from "storybook/test";
import { WorkflowCanvas } from "../../../editor/src/builder/workflow-canvas";
import type { TraceStatus } from "../../../editor/src/builder/session-store";
import { BuilderHarness } from "../fixtures/builder-harness";
import { BROKEN_FLOW, ORDER_FLOW } from "../fixtures/fixture-flows";

interface CardArgs {
  readonly yaml: string;
  readonly selected: readonly string[];
  /** What a test run has lit so far (the test-run panel sets this in the builder's session store). */
  readonly trace?: Readonly<Record<string, TraceStatus>>;
}

function CardsOnCanvas({ yaml, selected, trace }: CardArgs) {
  return (
    <BuilderHarness yaml={yaml} selected={selected} {...(trace ? { trace } : {})} heightPx={420}>
      {(actions) => (
        <main className="fdb-builder__center" style={{ flex: 1 }} aria-label="Workflow editor">
          <WorkflowCanvas actions={actions} />
        </main>
      )}
    </BuilderHarness>
  );
}

/** Node cards as the canvas draws them: idle, selected, with an error, and lit by a test run. */
const meta = {
  title: "Canvas/Node cards",
  component: CardsOnCanvas,
  args: { yaml: ORDER_FLOW, selected: [] },
  argTypes: { yaml: { control: false } },
} satisfies Meta<typeof CardsOnCanvas>;
export default meta;
type Story = StoryObj<typeof meta>;

export const Idle: Story = {};

export const Selected: Story = { args: { selected: ["lookup"] } };

export const WithAnError: Story = { args: { yaml: BROKEN_FLOW } };

/** Mid-run: the path so far is green, the tool being called pulses blue. */
export const RunningInATestRun: Story = {
  args: { trace: { start: "completed", route: "completed", ask_order: "completed", lookup: "running" } },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(await canvas.findByTestId("node-lookup")).toHaveAttribute("data-trace", "running");
    await expect(canvas.getByTestId("node-route")).toHaveAttribute("data-trace", "completed");
    await expect(canvas.getByTestId("node-human")).not.toHaveAttribute("data-trace");
  },
};

/** After the run: the path it took stays drawn; the branch not taken stays plain. */
export const DoneInATrace: Story = {
  args: {
    trace: {
      start: "completed",
      route: "completed",
      ask_order: "completed",
      lookup: "completed",
      answer: "completed",
    },
  },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(await canvas.findByTestId("node-answer")).toHaveAttribute("data-trace", "completed");
    await expect(canvas.getByTestId("node-human")).not.toHaveAttribute("data-trace");
  },
};

/** A run that stopped at a failed step: the step is outlined red. */
export const FailedInATrace: Story = {
  args: { trace: { start: "completed", route: "completed", ask_order: "completed", lookup: "failed" } },
};
