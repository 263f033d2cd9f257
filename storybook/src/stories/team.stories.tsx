import type { Meta, StoryObj } from "@storybook/react-vite";
import { expect, userEvent, within } from "storybook/test";
import type { FlowdeckApi, Role } from "../../../editor/src/api";
import { TeamPage } from "../../../editor/src/team/team-page";
import { installFixtureFetch } from "../fixtures/fixture-fetch";
import { TEAM_ROUTES } from "../fixtures/fixture-workspace";
import { stubClipboard } from "../fixtures/stub-clipboard";
import { signedInApi, WorkspaceHarness } from "../fixtures/workspace-harness";

interface Args {
  readonly role: Role;
}

/** The Team page: invite by one-time link, pending invitations; answered from fixtures. */
const meta = {
  title: "Workspace/Team",
  args: { role: "owner" },
  argTypes: { role: { control: "select", options: ["owner", "admin", "editor", "viewer"] } },
  loaders: [
    async ({ args }) => {
      installFixtureFetch(TEAM_ROUTES);
      return { api: await signedInApi((args as Args).role) };
    },
  ],
  render: (_args, { loaded }) => (
    <WorkspaceHarness api={loaded.api as FlowdeckApi}>
      <TeamPage />
    </WorkspaceHarness>
  ),
} satisfies Meta<Args>;
export default meta;
type Story = StoryObj<typeof meta>;

export const PendingInvitations: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(await canvas.findByText("sam@acme.example")).toBeVisible();
  },
};

/** Creating an invitation shows its one-time link once, and "Copy link" copies it. */
export const CreateAnInvitation: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const clipboard = stubClipboard();
    await userEvent.type(await canvas.findByLabelText("Email"), "kim@acme.example");
    await userEvent.click(canvas.getByRole("button", { name: "Create invitation" }));
    const link = await canvas.findByLabelText("Invitation link");
    await expect(link).toHaveValue(`${location.origin}/accept-invitation?token=inv_7Yk2pQ9wLm4Rt8Zs`);
    await userEvent.click(canvas.getByRole("button", { name: "Copy link" }));
    await expect(clipboard.copied).toEqual([(link as HTMLInputElement).value]);
  },
};

export const EditorSeesANote: Story = { args: { role: "editor" } };
