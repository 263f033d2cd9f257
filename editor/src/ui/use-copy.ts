import { useToast } from "./toasts";

/**
 * Copies text to the clipboard and says so in a toast, or says where to copy it from when the browser refuses
 * (no permission, a page not served over HTTPS): the text is always also on screen.
 */
export function useCopy(): (text: string, what: string) => Promise<void> {
  const notify = useToast();
  return async (text, what) => {
    try {
      await navigator.clipboard.writeText(text);
      notify(`${what} copied.`);
    } catch {
      notify("Copy it from the box: the browser refused clipboard access.", "error");
    }
  };
}
