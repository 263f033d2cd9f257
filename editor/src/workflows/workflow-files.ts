// Import and export of workflow YAML files, entirely in the browser.

/** Larger files are refused before reading; the server's own limit is 2 MiB. */
export const MAX_IMPORT_BYTES = 2 * 1024 * 1024;

export function downloadYaml(name: string, yaml: string): void {
  const blob = new Blob([yaml], { type: "application/yaml" });
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = `${name}.yaml`;
  document.body.append(link);
  link.click();
  link.remove();
  // Revoked later: some browsers start the download asynchronously.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export async function readYamlFile(file: File): Promise<string> {
  if (file.size > MAX_IMPORT_BYTES) {
    throw new Error(`FD611 ${file.name} is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MiB.`);
  }
  return file.text();
}
