import type { Meta, StoryObj } from "@storybook/react-vite";
import { expect, userEvent, within } from "storybook/test";
import { InboxScreen } from "../../../editor/src/inbox/inbox-screen";
import { installFixtureFetch } from "../fixtures/fixture-fetch";
import { INBOX_ROUTES } from "../fixtures/fixture-inbox";

/** The handoff inbox with one waiting conversation, answered from fixtures. */
const meta = {
  title: "Inbox/Handoff inbox",
  component: InboxScreen,
  args: { baseUrl: "", accessToken: () => "fixture-token", pollIntervalMs: 60_000 },
  argTypes: { accessToken: { control: false } },
  loaders: [
    async () => {
      installFixtureFetch(INBOX_ROUTES);
      return {};
    },
  ],
} satisfies Meta<typeof InboxScreen>;
export default meta;
type Story = StoryObj<typeof meta>;

export const Waiting: Story = {};

export const ConversationOpen: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await userEvent.click(await canvas.findByRole("button", { name: /complaint_handling/ }));
    await expect(await canvas.findByText(/My jacket arrived torn/)).toBeVisible();
  },
};
