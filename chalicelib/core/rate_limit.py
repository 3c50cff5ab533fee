"""Request limits for the public routes (booking pages, booking, manage links), counted in PostgreSQL.

Each limit counts hits per key (a client address) in fixed windows aligned to the limit's
length on the database's clock, so every Lambda container shares one count. A call counts
all its limits in one statement, and a call any limit refuses is rolled back whole: it counts
against nothing (not even the limits that still had room), so callers call ``hit`` before doing any
work and a refused request leaves no trace. Work that must count only when it succeeds (a public
page's read, a booking) counts inside its own transaction instead (``counting``): its first
statement counts, and a refusal or any later failure rolls the counts back with the work. Each
count's row stays locked until that transaction ends, so the requests of one key queue one behind
the other: count that way only under keys one caller's requests share (an address), never under a
key many callers share (a business's online bookings are bounded by counting the bookings
themselves, in ``appointments.service``). Keys are stored only as a keyed hash: the table never
holds a client address in clear (an unkeyed hash of an IPv4 address is reversed by trying them all).

The same statement deletes a few windows that ended long ago, so the table stays small with no
schedule to run.
"""
from __future__ import annotations

import hmac
import ipaddress
import math
from dataclasses import dataclass
from typing import Any

from chalicelib.core import db, security
from chalicelib.core.errors import RateLimited
from chalicelib.core.settings import settings

# The longest window a limit may have; windows that started before PRUNE_AFTER_S ago have ended
# more than a day ago and are deleted.
MAX_WINDOW_S = 24 * 3600
PRUNE_AFTER_S = MAX_WINDOW_S + 24 * 3600
PRUNE_BATCH = 100


@dataclass(frozen=True)
class Limit:
    """At most ``per`` hits per key in each fixed window of ``window_s`` seconds. ``name`` is unique."""

    name: str
    per: int
    window_s: int

    def __post_init__(self) -> None:
        if self.per < 1 or not 1 <= self.window_s <= MAX_WINDOW_S:
            raise ValueError(f"limit {self.name}: per >= 1 and 1 <= window_s <= {MAX_WINDOW_S}")


# Every limit is far above what a real business or customer does: an office, a hotel or a mobile
# carrier puts many people behind one address (carrier-grade NAT), and a false 429 on a booking
# page loses a business a customer. They are there to stop scripts, not people.

# A booking page loads a handful of resources and a day's slots per click; even a dozen people
# browsing behind one address stay well under 10 requests a second. Stops scrapers hammering the
# slot search, the costliest public read.
PUBLIC_READS_PER_ADDRESS = Limit("public_reads_per_address", per=600, window_s=60)
# A customer books once or twice; 30 an hour is a front desk booking walk-ins from its own page.
# Stops one script filling calendars with fake appointments. Every attempt counts, failed ones too
# (a time in the past, a taken slot, an unknown service), except those a limit refused.
BOOKINGS_PER_ADDRESS = Limit("bookings_per_address", per=30, window_s=3600)
# A customer opens a manage link to look, reschedule or cancel a few times; each change sends
# mail. Stops a script using manage links to spam a mailbox or churn a calendar.
MANAGE_ACTIONS_PER_ADDRESS = Limit("manage_actions_per_address", per=60, window_s=3600)


# The counting as WITH-clause entries, for ``hit``'s statement and for a transaction's first one
# (``counting``); the rows ``counted`` answers are what ``Counting.check`` judges.
_COUNT = """expired AS (
    SELECT bucket, window_start FROM rate_limit_hits
     WHERE window_start < now() - make_interval(secs => :prune_after_s)
       AND cardinality(CAST(:buckets AS text[])) > 0
     ORDER BY window_start LIMIT :prune_batch FOR UPDATE SKIP LOCKED
), pruned AS (
    DELETE FROM rate_limit_hits AS r USING expired AS e
     WHERE r.bucket = e.bucket AND r.window_start = e.window_start
), counted AS (
    INSERT INTO rate_limit_hits AS r (bucket, window_start)
    SELECT l.bucket, to_timestamp(floor(extract(epoch FROM now()) / l.window_s) * l.window_s)
      FROM unnest(CAST(:buckets AS text[]), CAST(:windows AS int[])) AS l (bucket, window_s)
     ORDER BY l.bucket
    ON CONFLICT (bucket, window_start) DO UPDATE SET hits = r.hits + 1
    RETURNING r.bucket, r.hits, extract(epoch FROM now() - r.window_start) AS elapsed_s
)"""

_HIT = f"""-- one more hit for each bucket in its current window (aligned to the window's length); on the
-- side, delete a few windows that ended long ago (SKIP LOCKED: concurrent hits never wait on that).
-- Sorted by bucket so that two calls counting the same buckets lock their rows in the same order.
WITH {_COUNT}
SELECT bucket, hits, elapsed_s FROM counted"""


def bucket(limit: Limit, key: str) -> str:
    """The row name a key counts under: the limit's name and a keyed hash of the key (after a
    signing-key rotation counts start again, which only ever lets a little more through)."""
    return f"{limit.name}:{security.signature('rate_limit', key)}"


def counting(*limits_and_keys: tuple[Limit, str]) -> db.Counting:
    """One hit for each ``(limit, key)``, to be counted inside a transaction (``db.Page``): the
    transaction's first statement counts them, and refuses (``RateLimited``) if any is over, which
    rolls back every count with the transaction. So does any failure after: work counted this way
    counts only when it commits. None given: nothing is counted."""
    by_bucket = {bucket(limit, key): limit for limit, key in limits_and_keys}
    names = sorted(by_bucket)

    def check(counted: list[dict[str, Any]]) -> None:
        # Each refusing limit lifts when its window ends; the request needs all of them.
        waits = [by_bucket[row["bucket"]].window_s - float(row["elapsed_s"]) for row in counted
                 if row["hits"] > by_bucket[row["bucket"]].per]
        if waits:
            raise RateLimited(max(1, math.ceil(max(waits))), "Too many requests; wait before trying again.")

    return db.Counting(f"{_COUNT}\n", {"buckets": names, "windows": [by_bucket[n].window_s for n in names],
                                        "prune_after_s": PRUNE_AFTER_S, "prune_batch": PRUNE_BATCH}, check)


def hit(*limits_and_keys: tuple[Limit, str]) -> None:
    """Count one hit for each ``(limit, key)``; ``RateLimited`` (nothing counted) if any is over.

    One short transaction of its own, one statement for all of them; call it before any work."""
    if not limits_and_keys:
        return
    counts = counting(*limits_and_keys)
    with db.transaction() as tx:
        # Raising inside the transaction rolls every count of this call back: a refused request
        # neither fills its other limits nor pushes the refused one further.
        counts.check(tx.all(_HIT, **counts.params))


# An IPv6 client is given a whole /64 (RFC 6177 and every ISP's practice), so it can pick a new source
# address per request: limits count the network, the unit one subscriber holds.
_IPV6_CLIENT_PREFIX = 64


# Set by our CloudFront distribution on every /api request (infra/booking_infra/storage.py): the viewer's
# address as CloudFront saw it, and the secret that proves CloudFront sent it.
VIEWER_ADDRESS_HEADER = "x-viewer-address"
EDGE_SECRET_HEADER = "x-origin-verify"


def client_address(request: Any) -> str:
    """The caller's address, as the first hop we trust saw it, as the key its limits count under: an IPv4
    address, or an IPv6 address's /64 network; "unknown" when there is none (local runs). Through our
    CloudFront that is the viewer's address it adds (API Gateway sees CloudFront's), believed only beside
    the edge secret, which a caller going to API Gateway directly cannot know; otherwise API Gateway's
    source address (a client cannot forge it, unlike X-Forwarded-For)."""
    identity = (getattr(request, "context", None) or {}).get("identity") or {}
    return limit_key(_viewer_address(request) or identity.get("sourceIp") or "unknown")


def _viewer_address(request: Any) -> str | None:
    expected = settings().edge_secret
    headers = getattr(request, "headers", None) or {}
    given = headers.get(EDGE_SECRET_HEADER)
    if not expected or given is None or not hmac.compare_digest(given.encode(), expected.encode()):
        return None
    return headers.get(VIEWER_ADDRESS_HEADER) or None


def limit_key(address: str) -> str:
    """What an address counts as: itself (IPv4, or anything unparsable), or its /64 (IPv6; an
    IPv4-mapped IPv6 address counts as its IPv4 address)."""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.ip_network(f"{parsed}/{_IPV6_CLIENT_PREFIX}", strict=False))
    return str(parsed)


# Each hit deletes a few ended windows on the side; this catches up where no hits come any more.
_PRUNE = """-- retention: counting windows that ended long ago, one batch
DELETE FROM rate_limit_hits WHERE ctid = ANY(ARRAY(
    SELECT ctid FROM rate_limit_hits WHERE window_start < now() - make_interval(secs => :older_than_s)
     ORDER BY window_start LIMIT :batch))"""


def prune(tx: db.Tx, *, older_than_s: float, batch: int) -> int:
    """The retention sweep's: delete up to ``batch`` counting windows that started more than
    ``older_than_s`` seconds ago (every limit's); answer how many."""
    return tx.execute(_PRUNE, older_than_s=older_than_s, batch=batch)
