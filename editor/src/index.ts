// Placeholder so typecheck, lint and the import check have a real entry point to read until the React app lands
// (issue 6). Remove once the package exports its first real component.
export const PACKAGE_STATUS = "not built yet" as const;
