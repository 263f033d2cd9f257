import type { Meta, StoryObj } from "@storybook/react-vite";
import { expect, userEvent, waitFor, within } from "storybook/test";
import type { FlowdeckApi } from "../../../editor/src/api";
import { VersionsPage } from "../../../editor/src/versions/versions-page";
import { installFixtureFetch } from "../fixtures/fixture-fetch";
import { VERSIONED_WORKFLOW_ID, VERSIONS_ROUTES } from "../fixtures/fixture-versions";
import { signedInApi, WorkspaceHarness } from "../fixtures/workspace-harness";

/** A workflow's versions: the list, one version read-only on the canvas, and the diff of two drawn on it. */
const meta = {
  title: "Workspace/Versions",
  loaders: [
    async () => {
      installFixtureFetch(VERSIONS_ROUTES);
      return { api: await signedInApi("owner") };
    },
  ],
  render: (_args, { loaded }) => (
    <WorkspaceHarness api={loaded.api as FlowdeckApi}>
      <VersionsPage workflowId={VERSIONED_WORKFLOW_ID} />
    </WorkspaceHarness>
  ),
} satisfies Meta;
export default meta;
type Story = StoryObj<typeof meta>;

export const VersionList: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(await canvas.findByText("Say thank you")).toBeVisible();
    await expect(canvas.getByText("Shorter status answer")).toBeVisible();
    await expect(canvas.getByText("First version")).toBeVisible();
  },
};

/** The draft against the live version: the hand-off removed (red, dashed), the rest unchanged. */
export const DiffDrawnOnTheCanvas: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await canvas.findByText("Say thank you");
    // The form offers the live version against the draft; comparing draws the diff.
    await userEvent.click(await canvas.findByTestId("compare-submit"));
    await waitFor(
      () =>
        expect(canvasElement.querySelector("[data-testid='node-human'][data-mark='removed']")).not.toBeNull(),
      { timeout: 10_000 },
    );
  },
};
