"""The retention sweep and Google Calendar connects: an OAuth state goes a day after it expired, used or
never used, in every tenant; younger ones stay (a connect under way, or one just finished)."""
from __future__ import annotations

import secrets
from typing import Any

from chalicelib.calendar import oauth
from chalicelib.system import retention
from tests.appointments.helpers import calendar
from tests.calendar.helpers import link_login, states
from tests.checks import rows


def _business(client: Any) -> tuple[str, str, str]:
    """A business whose owner's login is linked to a staff profile: (business, staff, user) ids."""
    cal = calendar(client)
    return cal.business_id, link_login(cal, cal.owner), cal.owner.user_id


def _state(business: tuple[str, str, str], expired: str | None, *, used: bool = False) -> str:
    """A connect's state, as ``connect`` stores it, expired that long ago (None: 5 minutes left)."""
    bid, sid, uid = business
    return rows(bid, """INSERT INTO calendar_oauth_states (state_hash, business_id, user_id, staff_id, code_verifier,
                                                          created_at, expires_at, used_at)
                        SELECT :hash, CAST(:bid AS uuid), CAST(:uid AS uuid), CAST(:sid AS uuid), 'v', e - interval
                               '10 minutes', e, CASE WHEN :used THEN e - interval '5 minutes' END
                          FROM (SELECT CASE WHEN CAST(:ago AS interval) IS NULL THEN now() + interval '5 minutes'
                                            ELSE now() - CAST(:ago AS interval) END AS e) t
                        RETURNING state_hash""",
                hash=secrets.token_hex(32), bid=bid, uid=uid, sid=sid, ago=expired, used=used)[0]["state_hash"]


def test_states_expired_a_day_ago_go_in_every_tenant_and_younger_ones_stay(client):
    kept = {}
    for business in (_business(client), _business(client)):
        _state(business, "1 day 1 minute")
        _state(business, "3 days", used=True)
        kept[business[0]] = {_state(business, "23 hours"), _state(business, "1 minute", used=True),
                             _state(business, None)}

    retention.sweep()

    for business_id, hashes in kept.items():
        assert {row["state_hash"] for row in states(business_id)} == hashes


def test_one_statement_deletes_one_batch_the_oldest_first(client):
    business = _business(client)
    hashes = [_state(business, age) for age in ("4 days", "3 days", "2 days")]

    with retention.transaction() as tx:
        assert oauth.prune_states(tx, older_than_s=retention.DAY_S, batch=2) == 2

    assert [row["state_hash"] for row in states(business[0])] == hashes[2:]
