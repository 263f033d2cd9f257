import type { Meta, StoryObj } from "@storybook/react-vite";
import { expect, userEvent, waitFor, within } from "storybook/test";
import { useDocument } from "../../../editor/src/builder/builder-context";
import { Inspector } from "../../../editor/src/builder/inspector";
import { BuilderHarness } from "../fixtures/builder-harness";
import { ORDER_FLOW } from "../fixtures/fixture-flows";

/** What the document holds after the form's edits: its YAML text and its parsed `settings`. */
function DocumentState() {
  const text = useDocument((state) => state.text);
  const settings = useDocument((state) => state.value?.settings);
  return (
    <div style={{ flex: 1, display: "flex", flexDirection: "column", gap: 8, minWidth: 0 }}>
      <output data-testid="document-settings" style={{ fontFamily: "monospace", fontSize: 12 }}>
        {`settings: ${JSON.stringify(settings ?? null)}`}
      </output>
      <pre data-testid="yaml" style={{ flex: 1, fontSize: 11, overflow: "auto", margin: 0 }}>
        {text}
      </pre>
    </div>
  );
}

/** The inspector with nothing selected: the workflow's own settings, drawn from the workflow schema. */
function WorkflowSettingsStory({ yaml }: { yaml: string }) {
  return (
    <BuilderHarness yaml={yaml} heightPx={1000}>
      {(actions) => (
        <div style={{ display: "flex", gap: 16, width: "100%" }}>
          <div style={{ width: 380, flex: "none", display: "flex" }}>
            <Inspector actions={actions} />
          </div>
          <DocumentState />
        </div>
      )}
    </BuilderHarness>
  );
}

const meta = {
  title: "Builder/Workflow settings",
  component: WorkflowSettingsStory,
  args: { yaml: ORDER_FLOW },
  argTypes: { yaml: { control: false } },
} satisfies Meta<typeof WorkflowSettingsStory>;
export default meta;
type Story = StoryObj<typeof meta>;

/** settings.trace (issue 20): "Keep traces of successful runs" set to errors lands in the document. */
export const KeepTracesOfErrorsOnly: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const form = await canvas.findByRole("form", { name: "Workflow settings" });
    const trace = await within(form).findByLabelText("Keep traces of successful runs");
    // Not set in the fixture: the schema's default is offered.
    await expect(trace).toHaveValue("");
    await expect(within(trace).getByRole("option", { name: "(default: all)" })).toBeInTheDocument();
    await userEvent.selectOptions(trace, "errors");
    await waitFor(() =>
      expect(canvas.getByTestId("document-settings").textContent).toBe('settings: {"trace":"errors"}'),
    );
    await expect(canvas.getByTestId("yaml").textContent).toMatch(/^settings:\n {2}trace: errors$/m);
    await expect(trace).toHaveValue("errors");
  },
};
