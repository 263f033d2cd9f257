import type { Meta, StoryObj } from "@storybook/react-vite";
import { expect, userEvent, waitFor, within } from "storybook/test";
import type { FlowdeckApi } from "../../../editor/src/api";
import { RunsPage } from "../../../editor/src/runs/runs-page";
import { NO_RUNS_ROUTES, RUNS_PAGE_SIZE, runsRoutes } from "../fixtures/fixture-runs";
import { answeredBy, WorkspaceHarness } from "../fixtures/workspace-harness";

/** The run history (`/runs`): the workspace's live runs, newest first, filtered, a page at a time. */
const meta = {
  title: "Workspace/Runs",
  parameters: {
    // Each story in its own frame on the docs page: the stories put different fixture tables on the one global
    // fetch, so inline the last story's fixtures would answer every story.
    docs: { story: { inline: false, iframeHeight: 700 } },
  },
  render: (_args, { loaded }) => (
    <WorkspaceHarness api={loaded.api as FlowdeckApi}>
      <RunsPage />
    </WorkspaceHarness>
  ),
} satisfies Meta;
export default meta;
type Story = StoryObj<typeof meta>;

const statuses = (canvasElement: HTMLElement) =>
  within(canvasElement)
    .getAllByTestId("run-status")
    .map((badge) => badge.textContent);

/** The first page: runs in every status, of two flows, on the web chat, the webhook and the API. */
export const History: Story = {
  ...answeredBy(runsRoutes),
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await waitFor(() => expect(canvas.getAllByTestId("run-row")).toHaveLength(RUNS_PAGE_SIZE));
    await expect(statuses(canvasElement)).toEqual(
      expect.arrayContaining(["running", "waiting", "handoff", "completed", "failed", "cancelled"]),
    );
    await expect(canvas.getByTestId("runs-more")).toBeVisible();
  },
};

/** "Show older runs" continues from the last row's cursor; the last page has no button. */
export const OlderRuns: Story = {
  ...answeredBy(runsRoutes),
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await userEvent.click(await canvas.findByTestId("runs-more"));
    await waitFor(() => expect(canvas.getAllByTestId("run-row")).toHaveLength(11));
    await expect(canvas.queryByTestId("runs-more")).toBeNull();
  },
};

/** Filtered to failed runs of the order desk: the query the page sends is the one the fixture filters by. */
export const FilteredToFailedRuns: Story = {
  ...answeredBy(runsRoutes),
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await canvas.findAllByTestId("run-row");
    await userEvent.selectOptions(canvas.getByTestId("filter-status"), "failed");
    // The workflow list arrives with its own call; the option is there once it has.
    const workflow = canvas.getByTestId("filter-workflow");
    await within(workflow).findByText("order_desk");
    await userEvent.selectOptions(workflow, "order_desk");
    await userEvent.click(canvas.getByTestId("filter-apply"));
    await waitFor(() => expect(canvas.getAllByTestId("run-row")).toHaveLength(2));
    await expect(statuses(canvasElement)).toEqual(["failed", "failed"]);
    await expect(canvas.queryByTestId("runs-more")).toBeNull();
  },
};

/** Filters nothing matches: the page says so instead of an empty table. */
export const FilteredWithoutAMatch: Story = {
  ...answeredBy(runsRoutes),
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await canvas.findAllByTestId("run-row");
    await userEvent.selectOptions(canvas.getByTestId("filter-status"), "handoff");
    await userEvent.selectOptions(canvas.getByTestId("filter-channel"), "api");
    await userEvent.click(canvas.getByTestId("filter-apply"));
    await expect(await canvas.findByTestId("runs-empty")).toHaveTextContent("No run matches these filters.");
  },
};

/** A workspace whose flows have not run yet. */
export const Empty: Story = {
  ...answeredBy(() => NO_RUNS_ROUTES),
  play: async ({ canvasElement }) => {
    await expect(await within(canvasElement).findByTestId("runs-empty")).toBeVisible();
  },
};
