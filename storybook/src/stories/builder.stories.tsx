import type { Meta, StoryObj } from "@storybook/react-vite";
import { WorkflowBuilder } from "../../../editor/src/builder/workflow-builder";
import { fixtureDraftApi } from "../fixtures/fixture-draft-api";
import { BROKEN_FLOW, ORDER_FLOW } from "../fixtures/fixture-flows";

/** The whole builder screen on a fixture draft: palette, canvas, inspector, problems; saves stay in memory. */
const meta = {
  title: "Builder/Workflow builder",
  component: WorkflowBuilder,
  args: { workflowId: "fixture", readOnly: false, api: fixtureDraftApi(ORDER_FLOW) },
  argTypes: { api: { control: false } },
  decorators: [
    (Story) => (
      <div style={{ height: "100vh" }}>
        <Story />
      </div>
    ),
  ],
} satisfies Meta<typeof WorkflowBuilder>;
export default meta;
type Story = StoryObj<typeof meta>;

export const Canvas: Story = {};

export const ReadOnlyForAViewer: Story = { args: { readOnly: true, api: fixtureDraftApi(ORDER_FLOW) } };

export const WithAProblem: Story = { args: { api: fixtureDraftApi(BROKEN_FLOW) } };

export const SplitWithYaml: Story = {
  args: { api: fixtureDraftApi(ORDER_FLOW), initialViewMode: "split" },
};
