import type { Meta, StoryObj } from "@storybook/react-vite";
import { useState } from "react";
import { expect, userEvent, waitFor, within } from "storybook/test";
import type { FlowdeckApi, VersionRecord } from "../../../editor/src/api";
import { PublishDialog } from "../../../editor/src/builder/publish/publish-dialog";
import { installFixtureFetch, type FixtureRoutes } from "../fixtures/fixture-fetch";
import {
  BLOCKED_PUBLISH_ROUTES,
  FIRST_PUBLISH_ROUTES,
  PUBLISH_ROUTES,
  REFUSED_PUBLISH_ROUTES,
  SLOW_PUBLISH_ROUTES,
  UNCHANGED_PUBLISH_ROUTES,
} from "../fixtures/fixture-publish";
import { VERSIONED_WORKFLOW_ID } from "../fixtures/fixture-versions";
import { signedInApi, WorkspaceHarness } from "../fixtures/workspace-harness";

// The builder hands the dialog its autosave flush; here the fixture draft is already on the "server". One
// function for every render, because the dialog compares again whenever saveDraft changes identity.
const draftSaved = () => Promise.resolve();

/** The dialog as the builder opens it; after a publish, the notice the builder would show instead. */
function PublishFromTheBuilder({ api }: { api: FlowdeckApi }) {
  const [open, setOpen] = useState(true);
  const [published, setPublished] = useState<VersionRecord | undefined>();
  if (!open)
    return (
      <p role="status" data-testid="publish-outcome">
        {published
          ? `Published version ${published.version}: ${published.note}`
          : "Closed without publishing."}
      </p>
    );
  return (
    <PublishDialog
      workflowId={VERSIONED_WORKFLOW_ID}
      api={api}
      saveDraft={draftSaved}
      onClose={() => setOpen(false)}
      onPublished={(version) => {
        setPublished(version);
        setOpen(false);
      }}
    />
  );
}

/**
 * The builder's publish dialog: what the draft changes against the live version (drawn on the canvas and
 * listed), a note, Publish. Each story answers the dialog's calls with one state's fixtures (`routes`).
 */
const meta = {
  title: "Builder/Publish dialog",
  parameters: {
    // Each story in its own frame on the docs page: the stories put different fixture tables on the one global
    // fetch, so inline the last story's fixtures would answer every story; and seven modal dialogs would stack.
    docs: { story: { inline: false, iframeHeight: 800 } },
  },
  render: (_args, { loaded }) => (
    <WorkspaceHarness api={loaded.api as FlowdeckApi}>
      <PublishFromTheBuilder api={loaded.api as FlowdeckApi} />
    </WorkspaceHarness>
  ),
} satisfies Meta;
export default meta;
type Story = StoryObj<typeof meta>;

// A loader per story rather than routes in parameters: parameters travel to Storybook's manager, functions and
// all, and a story's fixtures are the preview's business only.
const answeredBy = (routes: FixtureRoutes): Pick<Story, "loaders"> => ({
  loaders: [
    async () => {
      installFixtureFetch(routes);
      return { api: await signedInApi("editor") };
    },
  ],
});

/** The draft against live v3: the hand-off removed (red, dashed on the canvas), with a note typed. */
export const ChangesAgainstTheLiveVersion: Story = {
  ...answeredBy(PUBLISH_ROUTES),
  play: async ({ canvasElement }) => {
    // The dialog is a modal <dialog>: it sits in the story's root, so queries start there.
    const dialog = within(await within(canvasElement).findByTestId("publish-dialog"));
    await waitFor(
      () =>
        expect(canvasElement.querySelector("[data-testid='node-human'][data-mark='removed']")).not.toBeNull(),
      { timeout: 10_000 },
    );
    await userEvent.type(dialog.getByTestId("publish-note"), "Cancellations go to the order form now");
    await expect(within(canvasElement).getByTestId("publish-confirm")).toBeEnabled();
  },
};

/** Publish with a note: the note is what the server receives, and the dialog hands back version 4. */
export const PublishesWithANote: Story = {
  ...answeredBy(PUBLISH_ROUTES),
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const note = await canvas.findByTestId("publish-note");
    await waitFor(() => expect(canvas.getByTestId("publish-confirm")).toBeEnabled(), { timeout: 10_000 });
    await userEvent.type(note, "Drop the hand-off");
    await userEvent.click(canvas.getByTestId("publish-confirm"));
    await expect(await canvas.findByTestId("publish-outcome")).toHaveTextContent(
      "Published version 4: Drop the hand-off",
    );
  },
};

/** Never published before: the whole draft is drawn, every node new. */
export const FirstVersion: Story = {
  ...answeredBy(FIRST_PUBLISH_ROUTES),
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(await canvas.findByText("This is the first version: every node is new.")).toBeVisible();
    await waitFor(() => expect(canvas.getByTestId("publish-confirm")).toBeEnabled(), { timeout: 10_000 });
  },
};

/** The draft has an error: the dialog says so and Publish stays disabled until it is fixed. */
export const ErrorsBlockPublishing: Story = {
  ...answeredBy(BLOCKED_PUBLISH_ROUTES),
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(await canvas.findByTestId("publish-error")).toHaveTextContent(
      "The draft has 1 error; fix it (see Problems) before publishing.",
    );
    await expect(canvas.getByTestId("publish-confirm")).toBeDisabled();
  },
};

/** The draft is the live version: nothing to publish, so Publish is disabled. */
export const NothingToPublish: Story = {
  ...answeredBy(UNCHANGED_PUBLISH_ROUTES),
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(
      await canvas.findByText("The draft is the live version: there is nothing to publish."),
    ).toBeVisible();
    await expect(canvas.getByTestId("publish-confirm")).toBeDisabled();
  },
};

/** Publish clicked, no answer yet: the button says so and cannot be clicked twice. */
export const Publishing: Story = {
  ...answeredBy(SLOW_PUBLISH_ROUTES),
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const confirm = await canvas.findByTestId("publish-confirm");
    await waitFor(() => expect(confirm).toBeEnabled(), { timeout: 10_000 });
    await userEvent.type(canvas.getByTestId("publish-note"), "Drop the hand-off");
    await userEvent.click(confirm);
    await waitFor(() => expect(confirm).toHaveTextContent("Publishing…"));
    await expect(confirm).toBeDisabled();
  },
};

/** The server refuses (the member is a viewer now): its message and hint, and Publish can be tried again. */
export const PublishFailed: Story = {
  ...answeredBy(REFUSED_PUBLISH_ROUTES),
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const confirm = await canvas.findByTestId("publish-confirm");
    await waitFor(() => expect(confirm).toBeEnabled(), { timeout: 10_000 });
    await userEvent.click(confirm);
    await expect(await canvas.findByText(/you are viewer\. Ask a tenant owner or admin/)).toBeVisible();
    await expect(confirm).toBeEnabled();
  },
};
