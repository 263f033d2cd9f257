// A channel's delivery record, kept current while its card is open: read once, then again every
// DELIVERY_POLL_MS while something is owed or failing, and whenever asked (after a retry). Polling pauses in a
// hidden tab (nobody reads it, and the server is shared) and reads at once when the tab comes back.
import { useCallback, useEffect, useRef, useState } from "react";
import { describeError } from "../api";
import type { WorkspaceApi } from "../api/workspace-api";
import type { ChannelDeliveries } from "../api/workspace-types";
import { DELIVERY_POLL_MS, needsPolling } from "./delivery-texts";

export interface DeliveriesState {
  readonly deliveries: ChannelDeliveries | undefined;
  /** The first read failed: there is nothing to show. */
  readonly error: string | undefined;
  /** A later read failed: the last record stays on screen, marked as possibly stale. */
  readonly refreshError: string | undefined;
  /** Reads now (and restarts the polling clock); settles once that read has landed. */
  readonly refresh: () => Promise<void>;
}

export function useChannelDeliveries(workspace: WorkspaceApi, channelId: string): DeliveriesState {
  const [deliveries, setDeliveries] = useState<ChannelDeliveries>();
  const [error, setError] = useState<string>();
  const [refreshError, setRefreshError] = useState<string>();
  const [requested, setRequested] = useState(0);
  const loaded = useRef(false);
  const waiting = useRef<(() => void)[]>([]);

  useEffect(() => {
    // Set by the cleanup: a slow answer for a superseded read (or an unmounted card) is dropped.
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let polling = false;
    const read = async () => {
      clearTimeout(timer);
      try {
        const next = await workspace.channelDeliveries(channelId);
        if (stopped) return;
        loaded.current = true;
        // The same record again keeps the previous object: nothing re-renders, nothing flickers.
        setDeliveries((previous) =>
          previous && JSON.stringify(previous) === JSON.stringify(next) ? previous : next,
        );
        setError(undefined);
        setRefreshError(undefined);
        polling = needsPolling(next);
      } catch (caught) {
        if (stopped) return;
        if (loaded.current) setRefreshError(describeError(caught));
        else setError(describeError(caught));
        // A failing read says nothing about the receiver: keep trying only if we were already.
      }
      for (const settle of waiting.current.splice(0)) settle();
      if (polling && !document.hidden) timer = setTimeout(() => void read(), DELIVERY_POLL_MS);
    };
    const onVisibility = () => {
      clearTimeout(timer);
      if (!document.hidden && polling) void read();
    };
    void read();
    document.addEventListener("visibilitychange", onVisibility);
    return () => {
      stopped = true;
      clearTimeout(timer);
      document.removeEventListener("visibilitychange", onVisibility);
    };
  }, [workspace, channelId, requested]);

  const refresh = useCallback(
    () =>
      new Promise<void>((settle) => {
        waiting.current.push(settle);
        setRequested((count) => count + 1);
      }),
    [],
  );

  return { deliveries, error, refreshError, refresh };
}
