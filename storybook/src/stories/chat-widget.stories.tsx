import type { Meta, StoryObj } from "@storybook/react-vite";
import { useEffect } from "react";
import { expect, userEvent, waitFor } from "storybook/test";
// The widget is a static browser script the server serves as /widget.js; the story runs that very file.
import widgetSource from "../../../server/widget/widget.js?raw";
import { installFakeChatSocket, type FakeChatScript } from "../fixtures/fake-chat-socket";

function ShopPageWithWidget(props: FakeChatScript) {
  useEffect(() => {
    sessionStorage.clear();
    installFakeChatSocket(props);
    const url = URL.createObjectURL(new Blob([widgetSource], { type: "text/javascript" }));
    const script = document.createElement("script");
    script.src = url;
    script.setAttribute("data-channel", "fdp.fixture.demo");
    script.setAttribute("data-title", "Chat with Acme");
    script.setAttribute("data-open", "");
    document.body.appendChild(script);
    return () => {
      script.remove();
      for (const widget of document.querySelectorAll("[data-flowdeck-chat]")) widget.remove();
      URL.revokeObjectURL(url);
    };
  }, [props]);
  return (
    <main style={{ padding: 24 }}>
      <h1>Acme Outfitters</h1>
      <p>A shop&apos;s page with the Flowdeck chat widget; the server is played by fixtures.</p>
    </main>
  );
}

/** The embeddable web chat (server/widget/widget.js) on a page, talking to a scripted socket. */
const meta = {
  title: "Chat widget/Web chat",
  component: ShopPageWithWidget,
  args: {
    greeting: "Hi there! Welcome to Acme Outfitters. How can I help you today?",
    answer: "Your order AO-10492 shipped yesterday and arrives on Thursday.",
  },
} satisfies Meta<typeof ShopPageWithWidget>;
export default meta;
type Story = StoryObj<typeof meta>;

const shadow = () => document.querySelector("[data-flowdeck-chat]")?.shadowRoot ?? undefined;

export const GreetsWhenOpened: Story = {
  play: async ({ args }) => {
    await waitFor(() => expect(shadow()?.querySelector(".msg.bot")?.textContent).toBe(args.greeting));
  },
};

export const StreamsAnAnswer: Story = {
  play: async ({ args }) => {
    await waitFor(() => expect(shadow()?.querySelector("#fd-input")).toBeTruthy());
    const input = shadow()!.querySelector<HTMLInputElement>("#fd-input")!;
    await userEvent.type(input, "Where is my order?{enter}");
    await waitFor(() => expect(shadow()?.querySelectorAll(".msg.bot")[1]?.textContent).toBe(args.answer));
  },
};
