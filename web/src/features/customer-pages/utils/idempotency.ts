// Idempotency-Keys for the booking, which must happen once.
//
// The API remembers a key with its first answer, errors included (a 409 slot_taken replays as 409),
// except 429 and 5xx; the same key with another body is refused. So a key belongs to one body: it is
// reused only when that same body is sent again after an answer that did not settle it (no answer at
// all, 429, 5xx, or "still in progress"), and a fresh one is made for anything else.
import { ApiError } from "../../../lib/api-client";

export function newIdempotencyKey(): string {
  return globalThis.crypto.randomUUID();
}

/** Did this failure leave the request unsettled (so the same key may be sent again)? */
export function unsettled(error: unknown): boolean {
  if (!(error instanceof ApiError)) return false;
  return error.kind === "network" || error.status === 429 || error.status >= 500 || error.code === "idempotency_in_progress";
}

export interface KeyKeeper {
  /** The key to send with `body`: the same one while an earlier send of that body is unsettled. */
  keyFor(body: unknown): string;
  /** After the answer (no error: it succeeded). */
  settle(error?: unknown): void;
}

export function createKeyKeeper(makeKey: () => string = newIdempotencyKey): KeyKeeper {
  let sentBody: string | null = null;
  let key: string | null = null;
  return {
    keyFor(body) {
      const text = JSON.stringify(body);
      if (key === null || text !== sentBody) {
        sentBody = text;
        key = makeKey();
      }
      return key;
    },
    settle(error = null) {
      if (!unsettled(error)) {
        sentBody = null;
        key = null;
      }
    },
  };
}
