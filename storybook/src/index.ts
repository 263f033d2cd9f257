// Placeholder so the import check has something to read until the Storybook configuration lands (issue 6).
// Remove once the package has its real configuration.
export const PACKAGE_STATUS = "not built yet" as const;
