import type { Meta, StoryObj } from "@storybook/react-vite";
import { expect, waitFor, within } from "storybook/test";
import type { FlowdeckApi } from "../../../editor/src/api";
import { RunPage } from "../../../editor/src/runs/run-page";
import {
  ANSWER,
  ASK_PROMPT,
  COMPLETED_RUN_ID,
  FAILED_RUN_ID,
  liveRunRoutes,
  LIVE_RUN_ID,
  MISSING_RUN_ID,
  MISSING_RUN_ROUTES,
  ORDER_NUMBER,
  RUN_DETAIL_ROUTES,
  WAITING_RUN_ID,
} from "../fixtures/fixture-run-detail";
import { answeredBy, WorkspaceHarness } from "../fixtures/workspace-harness";

/** One run (`/runs/:id`): the path it took on its version's canvas, its conversation and its event log. */
const meta = {
  title: "Workspace/Run",
  parameters: {
    // Each story in its own frame on the docs page: the stories put different fixture tables on the one global
    // fetch, so inline the last story's fixtures would answer every story.
    docs: { story: { inline: false, iframeHeight: 1000 } },
  },
  args: { runId: COMPLETED_RUN_ID },
  render: (args, { loaded }) => (
    <WorkspaceHarness api={loaded.api as FlowdeckApi}>
      <RunPage runId={args.runId} />
    </WorkspaceHarness>
  ),
} satisfies Meta<{ runId: string }>;
export default meta;
type Story = StoryObj<typeof meta>;

/** Completed: start → route → ask → lookup → answer lit on the canvas, the whole conversation, the events. */
export const CompletedWithTrace: Story = {
  ...answeredBy(() => RUN_DETAIL_ROUTES),
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(await canvas.findByTestId("run-status")).toHaveTextContent("completed");
    const messages = canvas.getByTestId("run-messages");
    await expect(messages).toHaveTextContent(ASK_PROMPT);
    await expect(messages).toHaveTextContent(ORDER_NUMBER);
    await expect(messages).toHaveTextContent(ANSWER);
    await expect(await canvas.findByTestId("node-answer")).toHaveAttribute("data-trace", "completed");
    // The hand-off was not on this run's path.
    await expect(canvas.getByTestId("node-human")).not.toHaveAttribute("data-trace");
  },
};

/** Failed: the order tool timed out three times; the error above, the failed step red on the canvas. */
export const FailedWithError: Story = {
  ...answeredBy(() => RUN_DETAIL_ROUTES),
  args: { runId: FAILED_RUN_ID },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(await canvas.findByRole("alert")).toHaveTextContent(
      'FD201: "lookup" did not finish within 10000 ms.',
    );
    await expect(canvas.getByTestId("run-events")).toHaveTextContent("step.retrying");
    await expect(await canvas.findByTestId("node-lookup")).toHaveAttribute("data-trace", "failed");
  },
};

/** Waiting: the bot asked for the order number and the run sleeps until the customer answers. */
export const WaitingForTheCustomer: Story = {
  ...answeredBy(() => RUN_DETAIL_ROUTES),
  args: { runId: WAITING_RUN_ID },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(await canvas.findByTestId("run-status")).toHaveTextContent("waiting");
    await expect(canvas.getByTestId("run-messages")).toHaveTextContent(ASK_PROMPT);
    await expect(canvas.getByTestId("run-events")).toHaveTextContent("run.waiting");
    // Waiting is not live: nothing polls until the customer writes.
    await expect(canvas.queryByText("Live: updating…")).toBeNull();
  },
};

/** Live: first read while the order tool runs, then the page polls until the run has completed. */
export const LiveRunFinishes: Story = {
  ...answeredBy(liveRunRoutes),
  args: { runId: LIVE_RUN_ID },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(await canvas.findByTestId("run-status")).toHaveTextContent("running");
    await expect(canvas.getByText("Live: updating…")).toBeVisible();
    await waitFor(() => expect(canvas.getByTestId("run-status")).toHaveTextContent("completed"), {
      timeout: 10_000,
    });
    await expect(canvas.queryByText("Live: updating…")).toBeNull();
  },
};

/** A run that is not in this workspace: the server's message and hint, and the way back. */
export const RunNotFound: Story = {
  ...answeredBy(() => MISSING_RUN_ROUTES),
  args: { runId: MISSING_RUN_ID },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(await canvas.findByRole("alert")).toHaveTextContent("No such run.");
    await expect(canvas.getByRole("link", { name: "Back to runs" })).toBeVisible();
  },
};
