"""No N+1: every list route sends the same number of SQL statements for a page of one item as for
a page of many (counted at the driver)."""
from __future__ import annotations

import pytest

from tests.api import body, call
from tests.appointments.helpers import add_customer, add_staff, booked, calendar
from tests.checks import rows

MANY = 12


@pytest.fixture(scope="module")
def full(client):
    """A business with a dozen of everything: locations, staff (with locations and hours), services
    (with performers), customers, appointments of one customer, time off, team members."""
    cal = calendar(client, staff=2)
    bid = cal.business_id
    for n in range(MANY):
        location = rows(bid, "INSERT INTO locations (business_id, name, time_zone) "
                        "VALUES (CAST(:b AS uuid), :n, 'Europe/London') RETURNING id", b=bid, n=f"Branch {n}")[0]["id"]
        add_staff(bid, str(location), f"Person {n}")
        add_customer(bid, f"Customer {n}")
        rows(bid, "INSERT INTO services (business_id, name, duration_min, currency) "
             "VALUES (CAST(:b AS uuid), :n, 30, 'GBP') RETURNING id", b=bid, n=f"Service {n}")
        rows(bid, "INSERT INTO time_off (business_id, staff_id, starts_at, ends_at) "
             "VALUES (CAST(:b AS uuid), CAST(:s AS uuid), now() + make_interval(days => :d), "
             "now() + make_interval(days => :d, hours => 2)) RETURNING id", b=bid, s=cal.staff_ids[0], d=n + 1)
        booked(client, cal, cal.at(7 + n, 10))
        user = rows(bid, "INSERT INTO users (email, name) VALUES (:e, :n) RETURNING id",
                    e=f"member-{n}-{bid[:8]}@example.com", n=f"Member {n}")[0]["id"]
        rows(bid, "INSERT INTO memberships (business_id, user_id, role) "
             "VALUES (CAST(:b AS uuid), CAST(:u AS uuid), 'staff') RETURNING user_id", b=bid, u=str(user))
    rows(bid, "INSERT INTO service_staff (business_id, service_id, staff_id) "
         "SELECT s.business_id, s.id, st.id FROM services s CROSS JOIN staff st ON CONFLICT DO NOTHING RETURNING staff_id")
    return cal


def _lists(cal) -> list[str]:
    first, last = cal.at(7, 0).date(), cal.at(7 + MANY, 0).date()
    return ["/locations", "/services", "/staff", "/customers", f"/appointments?from={first}&to={last}",
            f"/customers/{cal.customer_id}/appointments", "/business/users",
            f"/staff/{cal.staff_ids[0]}/time-off"]


@pytest.mark.parametrize("index", range(8))
def test_a_list_costs_the_same_statements_for_one_item_or_many(client, full, sql_statements, index):
    path = _lists(full)[index]
    joiner = "&" if "?" in path else "?"

    def statements_for(limit: int) -> tuple[int, int]:
        sql_statements.clear()
        answer = call(client, "GET", f"{path}{joiner}limit={limit}", session=full.owner)
        assert answer.status_code == 200, answer.body
        return len(sql_statements), len(body(answer)["items"])

    one, one_items = statements_for(1)
    many, many_items = statements_for(MANY)

    assert one_items == 1 and many_items >= MANY - 1
    assert 0 < one == many
