// Storybook for the editor and the node library (issue 22). `storybook build -c config` (see package.json)
// writes storybook-static/, which storybook/test/stories.test.ts opens story by story in Chromium. The node-type
// stories are generated from the registry before each build (scripts/generate-node-stories.ts), so a new or
// third-party node type gets its story without anyone writing one.
import type { StorybookConfig } from "@storybook/react-vite";

const config: StorybookConfig = {
  framework: { name: "@storybook/react-vite", options: {} },
  stories: ["../src/stories/**/*.stories.tsx", "../generated/*.stories.tsx"],
  addons: ["@storybook/addon-docs"],
  core: { disableTelemetry: true, disableWhatsNewNotifications: true },
  // Never reach out: the machines that build this have no internet beyond the package registries.
  docs: { defaultName: "Docs" },
  viteFinal: (vite) => ({
    ...vite,
    worker: { format: "es" },
    build: { ...vite.build, chunkSizeWarningLimit: 8192 },
  }),
};

export default config;
