// The YAML language worker, bundled by Vite as its own file (imported with `?worker` in load-monaco.ts).
// Nothing is fetched from a CDN (DESIGN.md §6).
import "monaco-yaml/yaml.worker.js";
