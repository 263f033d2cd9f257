import type { Meta, StoryObj } from "@storybook/react-vite";
import { useEffect, useRef } from "react";
import { expect, userEvent, waitFor, within } from "storybook/test";
import type { FlowdeckApi, Role } from "../../../editor/src/api";
import { ChannelsPage } from "../../../editor/src/channels/channels-page";
import { installFixtureFetch } from "../fixtures/fixture-fetch";
import { channelRoutes, EMBED_SNIPPET, WIDGET_URL } from "../fixtures/fixture-workspace";
import { stubClipboard } from "../fixtures/stub-clipboard";
import { playWidgetFrames } from "../fixtures/widget-frame";
import { signedInApi, WorkspaceHarness } from "../fixtures/workspace-harness";

const CHAT = {
  greeting: "Hi there! Welcome to Acme Outfitters. How can I help you today?",
  answer: "Your order AO-10492 shipped yesterday and arrives on Thursday.",
};

function ChannelsScreen({ api }: { api: FlowdeckApi }) {
  const root = useRef<HTMLDivElement>(null);
  // The live preview's frame gets the real widget and a scripted chat instead of the server's.
  useEffect(() => (root.current ? playWidgetFrames(root.current, WIDGET_URL, CHAT) : undefined), []);
  return (
    <WorkspaceHarness api={api}>
      <div ref={root}>
        <ChannelsPage />
      </div>
    </WorkspaceHarness>
  );
}

interface Args {
  readonly role: Role;
}

/** The channels page (admins and owners) with a web chat and a webhook, answered from fixtures. */
const meta = {
  title: "Workspace/Channels",
  args: { role: "owner" },
  argTypes: { role: { control: "select", options: ["owner", "admin", "editor", "viewer"] } },
  loaders: [
    async ({ args }) => {
      installFixtureFetch(channelRoutes(location.origin));
      return { api: await signedInApi((args as Args).role) };
    },
  ],
  render: (_args, { loaded }) => <ChannelsScreen api={loaded.api as FlowdeckApi} />,
} satisfies Meta<Args>;
export default meta;
type Story = StoryObj<typeof meta>;

export const WebChatAndWebhook: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await waitFor(() => expect(canvas.getAllByTestId("channel-row")).toHaveLength(2));
    await expect(canvas.getByText(/runs order_desk, latest published version/)).toBeVisible();
    await expect(canvas.getByText(/runs complaint_handling, pinned to v1/)).toBeVisible();
  },
};

const frameWidget = (canvasElement: HTMLElement) =>
  canvasElement.querySelector("iframe")?.contentDocument?.querySelector("[data-flowdeck-chat]")?.shadowRoot;

/** Rotating the web chat's key shows the embed snippet once, a working "Copy snippet" and the live widget. */
export const EmbedSnippetAndPreview: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const clipboard = stubClipboard();
    await userEvent.click(await canvas.findByRole("button", { name: "Rotate key and show snippet" }));
    await expect(await canvas.findByTestId("embed-snippet")).toHaveValue(EMBED_SNIPPET);
    await userEvent.click(canvas.getByRole("button", { name: "Copy snippet" }));
    await expect(clipboard.copied).toEqual([EMBED_SNIPPET]);
    await expect(await canvas.findByText("Snippet copied.")).toBeVisible();
    // The preview runs the real widget; its greeting comes from the scripted chat.
    await waitFor(
      () => expect(frameWidget(canvasElement)?.querySelector(".msg.bot")?.textContent).toBe(CHAT.greeting),
      {
        timeout: 5000,
      },
    );
  },
};

/** Rotating the webhook's secret shows it once with the URL to POST to, and copies it. */
export const WebhookSecret: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const clipboard = stubClipboard();
    await userEvent.click(await canvas.findByRole("button", { name: "Rotate secret" }));
    await expect(
      await canvas.findByDisplayValue("https://flowdeck.acme.example/hooks/ch-hook"),
    ).toBeVisible();
    await userEvent.click(canvas.getByRole("button", { name: "Copy secret" }));
    await expect(clipboard.copied).toEqual(["whsec_3f9a1c7e5b2d4a6c8e0f1a3b5c7d9e1f"]);
  },
};

export const EditorSeesANote: Story = { args: { role: "editor" } };
