import type { Meta, StoryObj } from "@storybook/react-vite";
import { expect, userEvent, waitFor, within } from "storybook/test";
import { useDocument } from "../../../editor/src/builder/builder-context";
import { Inspector } from "../../../editor/src/builder/inspector";
import { Palette } from "../../../editor/src/builder/palette";
import { ValidationPanel } from "../../../editor/src/builder/validation-panel";
import { BuilderHarness } from "../fixtures/builder-harness";
import { BROKEN_FLOW, ORDER_FLOW } from "../fixtures/fixture-flows";

type Panel = "palette" | "inspector" | "problems";

/** The text the panels edit, so a story (and its play function) sees a change land in the YAML. */
function DocumentText() {
  const text = useDocument((state) => state.text);
  return (
    <pre data-testid="yaml" style={{ flex: 1, fontSize: 11, overflow: "auto", margin: 0 }}>
      {text}
    </pre>
  );
}

function PanelStory({ panel, yaml, selected }: { panel: Panel; yaml: string; selected?: readonly string[] }) {
  return (
    <BuilderHarness yaml={yaml} {...(selected ? { selected } : {})}>
      {(actions) => (
        <div style={{ display: "flex", gap: 16, width: "100%" }}>
          {panel === "palette" && <Palette actions={actions} />}
          {panel === "inspector" && <Inspector actions={actions} />}
          {panel === "problems" && <ValidationPanel />}
          <DocumentText />
        </div>
      )}
    </BuilderHarness>
  );
}

/** The builder's side panels with a fixture flow: the palette, the inspector's generated form, the problems. */
const meta = {
  title: "Panels/Builder panels",
  component: PanelStory,
  args: { panel: "palette", yaml: ORDER_FLOW },
  argTypes: { yaml: { control: false } },
} satisfies Meta<typeof PanelStory>;
export default meta;
type Story = StoryObj<typeof meta>;

export const PaletteOfNodeTypes: Story = {
  args: { panel: "palette" },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const search = await canvas.findByRole("searchbox");
    await expect(await canvas.findByTestId("palette-item-agent")).toBeVisible();
    await userEvent.type(search, "handoff");
    await expect(await canvas.findByTestId("palette-item-handoff")).toBeVisible();
    // The search leaves only what matches.
    await expect(canvas.queryByTestId("palette-item-agent")).toBeNull();
  },
};

export const InspectorFormOfAReply: Story = {
  args: { panel: "inspector", selected: ["answer"] },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const form = await canvas.findByRole("form", { name: "answer settings" });
    await expect(form).toBeVisible();
    const text = await canvas.findByDisplayValue(/Your order/);
    await userEvent.clear(text);
    await userEvent.type(text, "Your parcel is on its way.");
    // The form edits the document: the YAML beside it follows.
    await waitFor(() =>
      expect(canvas.getByTestId("yaml").textContent).toContain("Your parcel is on its way."),
    );
  },
};

export const InspectorOfARouter: Story = { args: { panel: "inspector", selected: ["route"] } };

export const ProblemsPanel: Story = { args: { panel: "problems", yaml: BROKEN_FLOW } };
