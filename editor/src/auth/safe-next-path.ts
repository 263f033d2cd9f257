// `?next=` comes from the address bar: only same-app paths are followed, never `//evil.example` or a full URL.
export function safeNextPath(next: string | null): string {
  if (!next || !next.startsWith("/") || next.startsWith("//") || next.includes("\\")) return "/";
  return next;
}
