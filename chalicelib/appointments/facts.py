"""What a message about an appointment says: the appointment as it is now, with the names, addresses
and zones of the people and places it involves, read in one statement by the notification worker
and by calendar sync (what the staff member's Google event says)."""
from __future__ import annotations

from typing import Any
from uuid import UUID

from chalicelib.core.db import Tx

_FACTS = """-- an appointment with its customer, staff member, service, location and business, for a message
SELECT a.id, a.status, a.staff_id, a.start_at, a.end_at, a.version, a.source, a.created_by,
       c.id AS customer_id, c.name AS customer_name, c.email AS customer_email,
       c.phone_normalized AS customer_phone, c.preferred_channel AS customer_channel,
       c.erased_at IS NOT NULL AS customer_erased,
       s.name AS staff_name, s.email AS staff_email, s.user_id AS staff_user_id,
       sv.name AS service_name,
       l.name AS location_name, l.address AS location_address, l.time_zone,
       b.name AS business_name, b.slug AS business_slug, b.locale AS business_locale,
       b.contact_email AS business_email
  FROM appointments a
  JOIN customers c ON c.business_id = a.business_id AND c.id = a.customer_id
  JOIN staff s ON s.business_id = a.business_id AND s.id = a.staff_id
  JOIN services sv ON sv.business_id = a.business_id AND sv.id = a.service_id
  JOIN locations l ON l.business_id = a.business_id AND l.id = a.location_id
  JOIN businesses b ON b.id = a.business_id
 WHERE a.business_id = :bid AND a.id = :id"""


def of(tx: Tx, business_id: UUID, appointment_id: UUID) -> dict[str, Any] | None:
    return tx.one(_FACTS, bid=business_id, id=appointment_id)
