// Idempotency-Keys for writes that must happen once (bookings), pure: tested under node.
//
// The API remembers a key with its first answer, errors included (a 409 slot_taken replays as 409),
// except 429 and 5xx; the same key with another body is refused. So a key belongs to one body: it is
// reused only when that same body is sent again after an answer that did not settle it (no answer at
// all, 429, 5xx), and a fresh one is made for anything else.

/** A fresh key: crypto.randomUUID, or a version-4 UUID from random bytes. */
export function newIdempotencyKey(cryptoImpl = globalThis.crypto) {
  if (cryptoImpl && typeof cryptoImpl.randomUUID === "function") return cryptoImpl.randomUUID();
  const b = cryptoImpl.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const x = [...b].map((n) => n.toString(16).padStart(2, "0")).join("");
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

/** Did this failure leave the request unsettled (so the same key may be sent again)? */
export function unsettled(err) {
  if (!err) return false;
  return err.kind === "network" || err.status === 429 || err.status >= 500 || err.code === "idempotency_in_progress";
}

/**
 * keeper.keyFor(body) → the key to send; keeper.settle(err?) after the answer (no error: success).
 * Two sends of one body share a key until an answer settles it.
 */
export function createKeyKeeper(makeKey = () => newIdempotencyKey()) {
  let body = null;
  let key = null;
  return {
    keyFor(next) {
      const text = JSON.stringify(next);
      if (key === null || text !== body) {
        body = text;
        key = makeKey();
      }
      return key;
    },
    settle(err = null) {
      if (!unsettled(err)) {
        body = null;
        key = null;
      }
    },
  };
}
