// Package entry for Storybook and tests: the app shell and the API client. The browser entry is main.tsx.
export { App } from "./app/app";
export { createFlowdeckApi } from "./api";
export type { FlowdeckApi } from "./api";
