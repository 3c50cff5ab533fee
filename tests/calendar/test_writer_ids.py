"""The Google event id of an appointment is derived from its id, so a retried create meets its own
event: base32hex as Google requires of ids a client chooses, one per generation."""
from __future__ import annotations

import re
import uuid

from chalicelib.calendar import writer

BASE32HEX_ID = re.compile(r"[0-9a-v]{5,1024}")


def test_the_first_generation_is_the_appointment_ids_hex_digits():
    appointment_id = uuid.UUID("0b9f3c4e-1d2a-4b5c-8d7e-6f5a4b3c2d1e")

    assert writer.event_id(appointment_id) == "0b9f3c4e1d2a4b5c8d7e6f5a4b3c2d1e"
    assert writer.event_id(appointment_id, 0) == writer.event_id(appointment_id)


def test_every_generation_is_a_valid_google_id_of_its_own():
    appointment_id = uuid.uuid4()

    ids = [writer.event_id(appointment_id, generation) for generation in range(12)]

    assert all(BASE32HEX_ID.fullmatch(i) for i in ids)
    assert len(set(ids)) == len(ids)
    assert ids[1] == appointment_id.hex + "g1" and ids[11] == appointment_id.hex + "g11"


def test_two_appointments_never_share_an_id():
    first, second = uuid.uuid4(), uuid.uuid4()

    assert {writer.event_id(first, g) for g in range(3)}.isdisjoint({writer.event_id(second, g) for g in range(3)})
