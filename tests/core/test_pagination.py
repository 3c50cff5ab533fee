"""Keyset pagination: opaque cursors that only this server can make, and the list shape."""
from __future__ import annotations

import base64
import json
import uuid
from datetime import datetime, timezone

import pytest

from chalicelib.core.errors import ValidationFailed
from chalicelib.core.pagination import DEFAULT_LIMIT, MAX_LIMIT, PageQuery, decode_cursor, encode_cursor, page
from chalicelib.core.validate import convert
from tests.api import add_member, body, call, new_business


def test_a_cursor_round_trips_its_sort_key():
    at, row_id = datetime(2027, 3, 28, 9, 30, tzinfo=timezone.utc).isoformat(), str(uuid.uuid4())
    assert decode_cursor(encode_cursor((at, row_id)), 2) == [at, row_id]
    assert decode_cursor(encode_cursor(["O'Brien, \u00e9", 3]), 2) == ["O'Brien, \u00e9", 3]


def test_no_cursor_means_the_first_page():
    assert decode_cursor(None, 2) is None


def _tampered(cursor: str) -> list[str]:
    payload, _, mac = cursor.partition(".")
    forged = base64.urlsafe_b64encode(json.dumps(["not a time", "not an id"]).encode()).decode().rstrip("=")
    flipped = mac[:-1] + ("A" if mac[-1] != "A" else "B")
    return [f"{forged}.{mac}", forged, f"{payload}.{flipped}", payload, f"{payload}.", "", "%%%", "a.b.c",
            "\u00e9t\u00e9", cursor + "x"]


def test_a_tampered_or_foreign_cursor_is_a_validation_failure():
    cursor = encode_cursor(["2027-03-28T09:30:00+00:00", str(uuid.uuid4())])
    for bad in _tampered(cursor):
        with pytest.raises(ValidationFailed) as failed:
            decode_cursor(bad, 2)
        assert failed.value.details["fields"] == {"cursor": "not a cursor from this list"}, bad


def test_a_cursor_of_another_shape_is_refused():
    with pytest.raises(ValidationFailed):
        decode_cursor(encode_cursor(["only one value"]), 2)


def _rows(n: int) -> list[dict]:
    return [{"n": i} for i in range(n)]


def test_a_page_with_more_rows_than_the_limit_has_a_next_cursor_from_its_last_item():
    answer = page(_rows(4), 3, lambda r: (r["n"],), lambda r: r["n"])
    assert answer["items"] == [0, 1, 2]
    assert decode_cursor(answer["next_cursor"], 1) == [2]


def test_the_last_page_has_no_next_cursor():
    assert page(_rows(3), 3, lambda r: (r["n"],), lambda r: r["n"]) == {"items": [0, 1, 2], "next_cursor": None}
    assert page([], 3, lambda r: (r["n"],), lambda r: r["n"]) == {"items": [], "next_cursor": None}


def test_limit_defaults_to_50_and_stays_between_1_and_200():
    assert convert({}, PageQuery) == PageQuery(limit=DEFAULT_LIMIT, cursor=None) and DEFAULT_LIMIT == 50
    assert convert({"limit": str(MAX_LIMIT)}, PageQuery).limit == 200
    for bad in ("0", "201", "-1", "ten"):
        with pytest.raises(ValidationFailed) as failed:
            convert({"limit": bad}, PageQuery)
        assert set(failed.value.details["fields"]) == {"limit"}


def test_walking_a_list_page_by_page_visits_every_item_once_in_a_stable_order(client, mail):
    owner = new_business(client)
    members = {owner.user_id} | {add_member(client, owner, mail).user_id for _ in range(3)}
    seen: list[str] = []
    cursor = None
    for _ in range(10):
        query = "?limit=1" + (f"&cursor={cursor}" if cursor else "")
        response = call(client, "GET", "/business/users" + query, session=owner)
        assert response.status_code == 200, response.body
        answer = body(response)
        seen += [item["user_id"] for item in answer["items"]]
        cursor = answer["next_cursor"]
        if cursor is None:
            break
    assert sorted(seen) == sorted(members) and len(seen) == len(members)
    full = body(call(client, "GET", "/business/users?limit=200", session=owner))
    assert [item["user_id"] for item in full["items"]] == seen


def test_an_edited_cursor_is_422_over_http(client):
    owner = new_business(client)
    forged = base64.urlsafe_b64encode(json.dumps(["x", "y"]).encode()).decode().rstrip("=")
    response = call(client, "GET", f"/business/users?cursor={forged}", session=owner)
    assert response.status_code == 422, response.body
    assert body(response)["error"]["details"]["fields"] == {"cursor": "not a cursor from this list"}
