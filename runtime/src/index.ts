// Placeholder so typecheck, lint and the import check have a real entry point to read until the engine lands
// (issue 3). Remove once the package exports its first real API.
export const PACKAGE_STATUS = "not built yet" as const;
