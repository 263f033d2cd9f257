import type { Meta, StoryObj } from "@storybook/react-vite";
import { expect, waitFor, within } from "storybook/test";
import type { FlowdeckApi } from "../../../editor/src/api";
import { InsightsPage } from "../../../editor/src/insights/insights-page";
import { installFixtureFetch } from "../fixtures/fixture-fetch";
import { INSIGHTS_ROUTES } from "../fixtures/fixture-insights";
import { signedInApi, WorkspaceHarness } from "../fixtures/workspace-harness";

/** The Insights page's charts (uPlot) and tables over two weeks of fixture analytics. */
const meta = {
  title: "Workspace/Insights",
  loaders: [
    async () => {
      installFixtureFetch(INSIGHTS_ROUTES);
      return { api: await signedInApi("owner") };
    },
  ],
  render: (_args, { loaded }) => (
    <WorkspaceHarness api={loaded.api as FlowdeckApi}>
      <InsightsPage />
    </WorkspaceHarness>
  ),
} satisfies Meta;
export default meta;
type Story = StoryObj<typeof meta>;

export const TwoWeeksOfCharts: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await waitFor(() => expect(canvasElement.querySelectorAll("canvas").length).toBeGreaterThan(2), {
      timeout: 5000,
    });
    await expect(await canvas.findAllByText(/order_desk/)).not.toHaveLength(0);
  },
};
