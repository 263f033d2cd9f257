import type { Meta, StoryObj } from "@storybook/react-vite";
import { WorkflowCanvas } from "../../../editor/src/builder/workflow-canvas";
import { BuilderHarness } from "../fixtures/builder-harness";
import { BROKEN_FLOW, ORDER_FLOW } from "../fixtures/fixture-flows";

interface CardArgs {
  readonly yaml: string;
  readonly selected: readonly string[];
}

function CardsOnCanvas({ yaml, selected }: CardArgs) {
  return (
    <BuilderHarness yaml={yaml} selected={selected} heightPx={420}>
      {(actions) => (
        <main className="fdb-builder__center" style={{ flex: 1 }} aria-label="Workflow editor">
          <WorkflowCanvas actions={actions} />
        </main>
      )}
    </BuilderHarness>
  );
}

/** Node cards as the canvas draws them: idle, selected, with an error. */
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
