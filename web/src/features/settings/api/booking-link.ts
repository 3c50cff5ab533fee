// The public booking page's address, and whether the owner has shared it yet (the last step of the
// getting-started checklist). Nothing in the API records sharing, so this browser remembers that the
// link was copied, opened or its QR code downloaded.
import { useCallback, useSyncExternalStore } from "react";

/** The booking page on this app's own origin (one build serves every stage). */
export function bookingUrl(slug: string): string {
  return `${window.location.origin}/book/${encodeURIComponent(slug)}`;
}

const sharedKey = (businessId: string) => `booking.link-shared.${businessId}`;
const listeners = new Set<() => void>();

function readShared(businessId: string): boolean {
  try {
    return globalThis.localStorage?.getItem(sharedKey(businessId)) === "1";
  } catch {
    return false;
  }
}

export function markLinkShared(businessId: string): void {
  try {
    globalThis.localStorage?.setItem(sharedKey(businessId), "1");
  } catch {
    /* storage refused (private mode): the step stays open, as before */
  }
  listeners.forEach((notify) => notify());
}

export function useLinkShared(businessId: string | undefined): boolean {
  const subscribe = useCallback((notify: () => void) => {
    listeners.add(notify);
    return () => void listeners.delete(notify);
  }, []);
  return useSyncExternalStore(subscribe, () => (businessId ? readShared(businessId) : false));
}
