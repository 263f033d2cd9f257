import type { Preview } from "@storybook/react-vite";
import "../../editor/src/styles/index.css";
import "@xyflow/react/dist/style.css";
import "../../editor/src/builder/builder.css";
import "../../editor/src/builder/builder-panels.css";

const preview: Preview = {
  parameters: {
    layout: "fullscreen",
    controls: { expanded: true },
    // Stories are fed by fixtures: a story that calls fetch for real is a bug (see fixtures/offline-fetch.ts).
    options: {
      storySort: {
        order: ["Builder", "Canvas", "Panels", "Workspace", "Inbox", "Chat widget", "Node types"],
      },
    },
  },
  tags: ["autodocs"],
};

export default preview;
