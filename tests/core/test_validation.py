"""Request decoding (DB-free): what a client sent becomes a typed struct, or a 422 whose
``details.fields`` names each bad field by its path."""
from __future__ import annotations

from typing import Annotated

import msgspec
import pytest

from chalicelib.core.errors import BadRequest, ValidationFailed
from chalicelib.core.validate import (Currency, Email, Slug, Struct, TimeZone, convert, decode, present)


class Line(Struct):
    quantity: Annotated[int, msgspec.Meta(ge=1)]
    note: str = ""


class Address(Struct):
    city: str
    zone: TimeZone


class Order(Struct):
    name: str
    address: Address
    lines: list[Line] = []
    email: Email | None = None
    currency: Currency | None = None
    slug: Slug | None = None
    tags: dict[str, str] = {}


VALID = b'{"name": "n", "address": {"city": "Leeds", "zone": "Europe/London"}}'


def fields_of(raw: bytes | str, schema: type = Order) -> dict[str, str]:
    with pytest.raises(ValidationFailed) as failed:
        decode(raw, schema)
    assert failed.value.status == 422 and failed.value.code == "validation_failed"
    return failed.value.details["fields"]


def test_a_valid_body_decodes_into_the_struct():
    order = decode(VALID, Order)
    assert order.address.zone == "Europe/London" and isinstance(order.address.zone, TimeZone)
    assert order.lines == []


def test_not_json_is_a_bad_request_not_a_validation_failure():
    for raw in (b"{", b"{'a': 1}", b"\x00", b'{"name": "\x01"}'):
        with pytest.raises(BadRequest):
            decode(raw, Order)


def test_a_body_that_is_not_an_object_is_named_body():
    assert fields_of(b"[1, 2]") == {"body": "Expected `object`, got `array`"}


def test_an_empty_body_is_an_empty_object():
    assert fields_of(b"") == {"name": "required"}


def test_a_wrong_type_in_a_nested_object_is_named_by_its_path():
    assert fields_of(b'{"name": "n", "address": {"city": 5, "zone": "UTC"}}') == {
        "address.city": "Expected `str`, got `int`"}


def test_a_bad_item_in_a_list_is_named_by_its_index():
    raw = b'{"name": "n", "address": {"city": "c", "zone": "UTC"}, "lines": [{"quantity": 1}, {"quantity": 0}]}'
    assert fields_of(raw) == {"lines.1.quantity": "Expected `int` >= 1"}


def test_an_unknown_field_is_refused_by_name_at_any_depth():
    assert fields_of(VALID[:-1] + b', "admin": true}') == {"admin": "unknown field"}
    assert fields_of(b'{"name": "n", "address": {"city": "c", "zone": "UTC", "x": 1}}') == {
        "address.x": "unknown field"}
    raw = b'{"name": "n", "address": {"city": "c", "zone": "UTC"}, "lines": [{"quantity": 1, "q": 2}]}'
    assert fields_of(raw) == {"lines.0.q": "unknown field"}


def test_a_missing_field_is_required_at_any_depth():
    assert fields_of(b'{"address": {"city": "c", "zone": "UTC"}}') == {"name": "required"}
    assert fields_of(b'{"name": "n", "address": {"city": "c"}}') == {"address.zone": "required"}
    raw = b'{"name": "n", "address": {"city": "c", "zone": "UTC"}, "lines": [{"note": "x"}]}'
    assert fields_of(raw) == {"lines.0.quantity": "required"}


def _with(field: str, value: str) -> bytes:
    return VALID[:-1] + f', "{field}": {value}}}'.encode()


@pytest.mark.parametrize("zone", ["Europe/London", "America/New_York", "Asia/Kolkata", "UTC"])
def test_an_iana_time_zone_is_accepted(zone):
    raw = f'{{"name": "n", "address": {{"city": "c", "zone": "{zone}"}}}}'
    assert decode(raw, Order).address.zone == zone


@pytest.mark.parametrize("zone,reason", [
    ('"Mars/Olympus"', "not an IANA time zone name"),
    ('"europe/london"', "not an IANA time zone name"),
    ('"+01:00"', "not an IANA time zone name"),
    ("1", "Expected an IANA time zone name"),
])
def test_anything_else_is_not_a_time_zone(zone, reason):
    raw = f'{{"name": "n", "address": {{"city": "c", "zone": {zone}}}}}'
    assert fields_of(raw) == {"address.zone": reason}


def test_a_currency_is_an_active_iso_4217_code():
    assert decode(_with("currency", '"EUR"'), Order).currency == "EUR"
    assert decode(_with("currency", '"JPY"'), Order).currency == "JPY"
    for bad in ('"eur"', '"XXX"', '"EURO"', '"XAU"', "978"):
        assert set(fields_of(_with("currency", bad))) == {"currency"}, bad


def test_an_email_is_trimmed_and_lower_cased():
    assert decode(_with("email", '" Jane.Doe@Example.COM "'), Order).email == "jane.doe@example.com"
    assert decode(_with("email", '"a+tag@sub.example.co.uk"'), Order).email == "a+tag@sub.example.co.uk"


@pytest.mark.parametrize("bad", ['"no-at-sign"', '"two@@example.com"', '"a@b"', '"a b@example.com"',
                                 '"a@-example.com"', '"a@example..com"', f'"{"a" * 65}@example.com"',
                                 f'"a@{"b" * 250}.com"', "7"])
def test_anything_else_is_not_an_email(bad):
    assert set(fields_of(_with("email", bad))) == {"email"}


def test_a_slug_is_lower_case_letters_digits_and_inner_hyphens():
    for good in ("abc", "studio-9", "a" * 63, "1-2"):
        assert decode(_with("slug", f'"{good}"'), Order).slug == good


@pytest.mark.parametrize("bad,reason", [
    ("ab", "use 3-63 lower-case letters, digits and inner hyphens"),
    ("a" * 64, "use 3-63 lower-case letters, digits and inner hyphens"),
    ("Studio", "use 3-63 lower-case letters, digits and inner hyphens"),
    ("-studio", "use 3-63 lower-case letters, digits and inner hyphens"),
    ("studio-", "use 3-63 lower-case letters, digits and inner hyphens"),
    ("stu_dio", "use 3-63 lower-case letters, digits and inner hyphens"),
    ("admin", "this name is reserved"),
    ("public", "this name is reserved"),
])
def test_anything_else_is_not_a_slug(bad, reason):
    assert fields_of(_with("slug", f'"{bad}"')) == {"slug": reason}


def test_a_nul_character_anywhere_is_refused_by_path():
    assert fields_of(b'{"name": "a\\u0000", "address": {"city": "c", "zone": "UTC"}}') == {
        "name": "must not contain NUL characters"}
    raw = b'{"name": "n", "address": {"city": "c", "zone": "UTC"}, "lines": [{"quantity": 1, "note": "\\u0000"}]}'
    assert fields_of(raw) == {"lines.0.note": "must not contain NUL characters"}
    assert fields_of(_with("tags", '{"k\\u0000": "v"}')) == {"tags": "must not contain NUL characters"}


def test_an_escaped_backslash_before_u0000_is_plain_text():
    order = decode(b'{"name": "C:\\\\u0000", "address": {"city": "c", "zone": "UTC"}}', Order)
    assert order.name == "C:\\u0000"


class Listing(Struct):
    limit: Annotated[int, msgspec.Meta(ge=1, le=200)] = 50
    active: bool = True
    q: str | None = None


def test_a_query_string_is_converted_from_text():
    assert convert({"limit": "20", "active": "false"}, Listing) == Listing(limit=20, active=False)
    assert convert({}, Listing) == Listing()


def test_a_bad_query_value_is_named():
    with pytest.raises(ValidationFailed) as failed:
        convert({"limit": "0"}, Listing)
    assert failed.value.details["fields"] == {"limit": "Expected `int` >= 1"}
    with pytest.raises(ValidationFailed) as failed:
        convert({"limit": "many"}, Listing)
    assert set(failed.value.details["fields"]) == {"limit"}
    with pytest.raises(ValidationFailed) as failed:
        convert({"sort": "name"}, Listing)
    assert failed.value.details["fields"] == {"sort": "unknown field"}
    with pytest.raises(ValidationFailed) as failed:
        convert({"q": "a\x00b"}, Listing)
    assert failed.value.details["fields"] == {"q": "must not contain NUL characters"}


class Patch(Struct):
    name: str | msgspec.UnsetType = msgspec.UNSET
    note: str | None | msgspec.UnsetType = msgspec.UNSET


def test_present_keeps_only_the_fields_a_patch_carried():
    assert present(decode(b'{"note": null}', Patch)) == {"note": None}
    assert present(decode(b'{"name": "x"}', Patch)) == {"name": "x"}
    assert present(decode(b"{}", Patch)) == {}
