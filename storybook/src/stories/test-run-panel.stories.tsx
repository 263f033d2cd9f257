import type { Meta, StoryObj } from "@storybook/react-vite";
import { expect, userEvent, waitFor, within } from "storybook/test";
import { TestRunPanel } from "../../../editor/src/builder/test-run/test-run-panel";
import { WorkflowCanvas } from "../../../editor/src/builder/workflow-canvas";
import { BuilderHarness } from "../fixtures/builder-harness";
import { installFixtureFetch } from "../fixtures/fixture-fetch";
import { SUPPORT_FLOW } from "../fixtures/fixture-flows";
import {
  ANSWER,
  CUSTOMER_MESSAGE,
  GREETING,
  installTestRunSocket,
  TEST_RUN_ROUTES,
  TEST_RUN_WORKFLOW_ID,
} from "../fixtures/fixture-test-run";

const api = { baseUrl: "", accessToken: async () => "fixture-token" };

/** The builder's canvas with the test-run panel where the inspector would be, as the builder shows them. */
function TestRunBeside() {
  return (
    <BuilderHarness yaml={SUPPORT_FLOW} heightPx={800}>
      {(actions) => (
        // The builder's columns without the palette: canvas, and the panel in the inspector's place.
        <div className="fdb-builder__main" style={{ flex: 1, gridTemplateColumns: "1fr 360px" }}>
          <main className="fdb-builder__center" style={{ flex: 1 }} aria-label="Workflow editor">
            <WorkflowCanvas actions={actions} />
          </main>
          <TestRunPanel
            api={api}
            workflowId={TEST_RUN_WORKFLOW_ID}
            beforeSend={() => Promise.resolve()}
            onClose={() => undefined}
          />
        </div>
      )}
    </BuilderHarness>
  );
}

/**
 * The test-run panel chatting with a draft: a scripted staff socket plays a recorded run (steps with route,
 * confidence, tier, tokens and cost), the canvas lights the steps, and regression cases replay from fixtures.
 */
const meta = {
  title: "Panels/Test run",
  component: TestRunBeside,
  loaders: [
    async () => {
      installTestRunSocket();
      installFixtureFetch(TEST_RUN_ROUTES);
      return {};
    },
  ],
} satisfies Meta<typeof TestRunBeside>;
export default meta;
type Story = StoryObj<typeof meta>;

export const Greeted: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(await canvas.findByText(GREETING)).toBeVisible();
    await expect(await canvas.findByTestId("case-order status")).toBeVisible();
  },
};

/** One customer message, its whole trace: every step with its facts, the totals, the path lit on the canvas. */
export const RecordedTrace: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await canvas.findByText(GREETING);
    await userEvent.type(canvas.getByTestId("test-run-input"), CUSTOMER_MESSAGE);
    await userEvent.click(canvas.getByRole("button", { name: "Send" }));
    await expect(await canvas.findByText(ANSWER, {}, { timeout: 5000 })).toBeVisible();
    const route = await canvas.findByTestId("test-run-step-route");
    await expect(within(route).getByText("order_status")).toBeVisible();
    await expect(within(route).getByText("0.93")).toBeVisible();
    await expect(within(route).getByText("local")).toBeVisible();
    // Outputs and priced cost arrive from GET /runs/:id once the run settles.
    await waitFor(() =>
      expect(canvas.getByTestId("test-run-totals").textContent).toBe(
        "450 tokens · $0.0001 · local router saved $0.0004",
      ),
    );
    await expect(
      within(canvas.getByTestId("test-run-step-answer")).getByText(/412 in \/ 38 out/),
    ).toBeVisible();
    await expect(canvas.getByTestId("node-answer")).toHaveAttribute("data-trace", "completed");
    await expect(canvas.getByTestId("node-human")).not.toHaveAttribute("data-trace");
  },
};

/** "Run all cases": one case replays the same (pass), one now takes another route (fail, with the difference). */
export const RegressionCasesRunAll: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await canvas.findByTestId("case-wants a person");
    await userEvent.click(canvas.getByTestId("cases-run-all"));
    await waitFor(() =>
      expect(canvas.getByTestId("case-order status")).toHaveAttribute("data-verdict", "pass"),
    );
    await waitFor(() =>
      expect(canvas.getByTestId("case-wants a person")).toHaveAttribute("data-verdict", "fail"),
    );
    const diff = canvas.getByTestId("case-diff");
    await expect(within(diff).getByText("human")).toBeVisible();
    await expect(within(diff).getByText("lookup → answer")).toBeVisible();
    await expect(within(diff).getByText("Which order do you mean?")).toBeVisible();
  },
};

/** A conversation saved as a case joins the list. */
export const SaveAsCase: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await canvas.findByText(GREETING);
    await userEvent.type(canvas.getByTestId("test-run-input"), CUSTOMER_MESSAGE);
    await userEvent.click(canvas.getByRole("button", { name: "Send" }));
    await canvas.findByText(ANSWER, {}, { timeout: 5000 });
    await userEvent.type(canvas.getByTestId("case-name"), "order number in the first message");
    await userEvent.click(canvas.getByRole("button", { name: "Save as case" }));
    await expect(await canvas.findByTestId("case-order number in the first message")).toBeVisible();
  },
};
