import type { Meta, StoryObj } from "@storybook/react-vite";
import { expect, userEvent, waitFor, within } from "storybook/test";
import type { FlowdeckApi, Role } from "../../../editor/src/api";
import { SettingsPage } from "../../../editor/src/settings/settings-page";
import { installFixtureFetch } from "../fixtures/fixture-fetch";
import { SETTINGS_ROUTES } from "../fixtures/fixture-workspace";
import { signedInApi, WorkspaceHarness } from "../fixtures/workspace-harness";

interface Args {
  readonly role: Role;
}

/** Workspace settings: the model provider, plan and usage, the audit log; answered from fixtures. */
const meta = {
  title: "Workspace/Settings",
  args: { role: "owner" },
  argTypes: { role: { control: "select", options: ["owner", "admin", "editor", "viewer"] } },
  loaders: [
    async ({ args }) => {
      installFixtureFetch(SETTINGS_ROUTES);
      return { api: await signedInApi((args as Args).role) };
    },
  ],
  render: (_args, { loaded }) => (
    <WorkspaceHarness api={loaded.api as FlowdeckApi}>
      <SettingsPage />
    </WorkspaceHarness>
  ),
} satisfies Meta<Args>;
export default meta;
type Story = StoryObj<typeof meta>;

export const ModelPlanAndAudit: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(await canvas.findByText(/ending x9Qe/)).toBeVisible();
    await expect(await canvas.findByTestId("plan-name")).toHaveTextContent(/Pro plan/);
    await expect(canvas.getByTestId("plan-name")).toHaveTextContent(/run history kept 90 days/);
    await waitFor(() =>
      expect(canvas.getByTestId("audit-table").querySelectorAll("tbody tr")).toHaveLength(5),
    );
  },
};

/** "Test connection" makes the server's one-token call; here the fixture answers that it works. */
export const TestConnection: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await canvas.findByText(/ending x9Qe/);
    await userEvent.click(canvas.getByRole("button", { name: "Test connection" }));
    await expect(await canvas.findByTestId("model-test")).toHaveTextContent(/Connection works/);
  },
};

/** "Show older entries" follows the cursor to the next page; the last page has no button. */
export const OlderAuditEntries: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await userEvent.click(await canvas.findByRole("button", { name: "Show older entries" }));
    await waitFor(() =>
      expect(canvas.getByTestId("audit-table").querySelectorAll("tbody tr")).toHaveLength(10),
    );
    await expect(canvas.queryByRole("button", { name: "Show older entries" })).toBeNull();
  },
};

export const ViewerSeesANote: Story = { args: { role: "viewer" } };
