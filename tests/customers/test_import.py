"""POST /customers/import: a CSV file, a report line per data row. Rows match existing customers by e-mail,
then phone; within the file a row that reuses an earlier row's e-mail, phone or customer is rejected as
a duplicate; rejected rows never stop the others."""
from __future__ import annotations

from tests.api import add_member, new_business
from tests.checks import rows
from tests.customers.helpers import (body, call, consents, created, customer_row, customers, error_of,
                                     invalid_fields, snapshot)

FILE = """Email, NAME ,phone,tags,marketing_opt_in
new@example.com,New Person,+44 7700 900010,vip; Regular ;VIP,yes
paula@example.com,Paula New,,,no
,Quinn Q,+44 (7700) 900-002,,0

,,+44 7700 900011,,
bad-email,Bad Email,,,
,Bad Phone,12,,
r@example.com,Conflict,+44 7700 900002,,
NEW@example.com,Dup,,,
,"Walk
In",,,
,Walk In Only,,,
,Maybe,,,maybe
paula@example.com,Paula Again,+44 7700 900099,,
"""


def run_import(client, session, csv, **options):
    return call(client, "POST", "/customers/import", {"csv": csv, **options}, session=session)


def test_an_import_creates_updates_and_rejects_rows_with_an_exact_report(client, mail):
    owner = new_business(client)
    admin = add_member(client, owner, mail, "admin")
    paula = created(client, owner, name="Paula Old", email="paula@example.com")
    quinn = created(client, owner, name="Quinn", phone="+44 7700 900002", marketing_opt_in=True)
    created(client, owner, name="Rita", email="r@example.com")

    response = run_import(client, admin, FILE)

    assert response.status_code == 200, response.body
    report = body(response)
    made = {line["row"]: line["customer_id"] for line in report["rows"] if line["status"] == "created"}
    assert set(made) == {2, 13}
    assert report == {"created": 2, "updated": 2, "rejected": 8, "rows": [
        {"row": 2, "status": "created", "customer_id": made[2], "reason": None},
        {"row": 3, "status": "updated", "customer_id": paula["id"], "reason": None},
        {"row": 4, "status": "updated", "customer_id": quinn["id"], "reason": None},
        {"row": 6, "status": "rejected", "customer_id": None, "reason": "missing name"},
        {"row": 7, "status": "rejected", "customer_id": None, "reason": "bad email"},
        {"row": 8, "status": "rejected", "customer_id": None, "reason": "bad phone"},
        {"row": 9, "status": "rejected", "customer_id": None,
         "reason": "email and phone belong to two different customers"},
        {"row": 10, "status": "rejected", "customer_id": None, "reason": "duplicate of row 2"},
        {"row": 11, "status": "rejected", "customer_id": None, "reason": "bad name"},
        {"row": 13, "status": "created", "customer_id": made[13], "reason": None},
        {"row": 14, "status": "rejected", "customer_id": None,
         "reason": "bad marketing_opt_in (use true/false/yes/no/1/0)"},
        {"row": 15, "status": "rejected", "customer_id": None, "reason": "duplicate of row 3"},
    ]}
    new = customer_row(owner.business_id, made[2])
    assert (new["name"], new["email"], new["phone"], new["phone_normalized"], new["tags"], new["marketing_opt_in"]) \
        == ("New Person", "new@example.com", "+44 7700 900010", "+447700900010", ["vip", "regular"], True)
    walk_in = customer_row(owner.business_id, made[13])
    assert (walk_in["name"], walk_in["email"], walk_in["phone"], walk_in["marketing_opt_in"]) == (
        "Walk In Only", None, None, False)
    paula_now = customer_row(owner.business_id, paula["id"])
    assert (paula_now["name"], paula_now["email"], paula_now["phone"], paula_now["version"]) == (
        "Paula New", "paula@example.com", None, 2)
    quinn_now = customer_row(owner.business_id, quinn["id"])
    assert (quinn_now["name"], quinn_now["phone_normalized"], quinn_now["marketing_opt_in"]) == (
        "Quinn Q", "+447700900002", False)
    assert len(customers(owner.business_id)) == 5


def test_imported_marketing_consent_is_recorded_with_source_import_only_where_it_changed(client, mail):
    owner = new_business(client)
    admin = add_member(client, owner, mail, "admin")
    keeps = created(client, owner, name="Keeps", email="keeps@example.com", marketing_opt_in=True)
    withdraws = created(client, owner, name="Withdraws", email="withdraws@example.com", marketing_opt_in=True)
    csv = ("name,email,marketing_opt_in\nKeeps,keeps@example.com,TRUE\nWithdraws,withdraws@example.com,No\n"
           "Grants,grants@example.com,1\nDeclines,declines@example.com,false\nSilent,silent@example.com,\n")

    report = body(run_import(client, admin, csv))

    assert (report["created"], report["updated"], report["rejected"]) == (3, 2, 0)
    ids = {line["row"]: line["customer_id"] for line in report["rows"]}
    assert consents(owner.business_id, keeps["id"]) == [("marketing", True, "staff")]
    assert consents(owner.business_id, withdraws["id"]) == [("marketing", True, "staff"),
                                                            ("marketing", False, "import")]
    assert consents(owner.business_id, ids[4]) == [("marketing", True, "import")]
    assert consents(owner.business_id, ids[5]) == consents(owner.business_id, ids[6]) == []
    actors = rows(owner.business_id, "SELECT DISTINCT actor_id FROM customer_consents WHERE source = 'import'")
    assert [str(r["actor_id"]) for r in actors] == [admin.user_id]
    assert customer_row(owner.business_id, withdraws["id"])["marketing_opt_in"] is False
    assert customer_row(owner.business_id, ids[4])["marketing_opt_in"] is True


def test_an_empty_cell_keeps_the_value_and_a_given_one_replaces_it(client):
    owner = new_business(client)
    ada = created(client, owner, name="Ada", email="ada@example.com", phone="+44 7700 900001", tags=["vip"])

    report = body(run_import(client, owner, "name,email,phone,tags\nAda King,ada@example.com,,\n"
                                            "Ada Queen,,+44 7700 900001,new;gold\n"))

    assert [line["status"] for line in report["rows"]] == ["updated", "rejected"]
    assert report["rows"][1]["reason"] == "duplicate of row 2"
    row = customer_row(owner.business_id, ada["id"])
    assert (row["name"], row["phone_normalized"], row["tags"]) == ("Ada King", "+447700900001", ["vip"])


def test_a_phone_written_two_ways_in_one_file_is_a_duplicate(client):
    owner = new_business(client)

    report = body(run_import(client, owner, "phone,name\n+44 7700 900123,One\n+44 (7700) 900-123,Two\n"))

    assert [(line["status"], line["reason"]) for line in report["rows"]] == [
        ("created", None), ("rejected", "duplicate of row 2")]
    assert [c["name"] for c in customers(owner.business_id)] == ["One"]


def test_without_update_existing_a_match_is_rejected_and_left_alone(client):
    owner = new_business(client)
    ada = created(client, owner, name="Ada", email="ada@example.com")

    report = body(run_import(client, owner, "name,email\nAda New,ADA@example.com\nBea,bea@example.com\n",
                             update_existing=False))

    assert [(line["status"], line["reason"]) for line in report["rows"]] == [
        ("rejected", "customer exists"), ("created", None)]
    assert report["rows"][0]["customer_id"] == ada["id"]
    assert customer_row(owner.business_id, ada["id"])["name"] == "Ada"


def test_an_empty_file_and_a_header_only_file(client):
    owner = new_business(client)

    assert "csv" in invalid_fields(run_import(client, owner, ""))
    assert body(run_import(client, owner, "\ufeffname,email\r\n")) == {"created": 0, "updated": 0, "rejected": 0,
                                                                       "rows": []}


def test_bad_files_are_422_naming_the_problem_and_store_nothing(client):
    owner = new_business(client)
    created(client, owner, email="ada@example.com")
    before = snapshot(owner.business_id)

    for csv, words in [("name,birthday,shoe size\nAda,1815-12-10,5\n", "unknown columns: birthday, shoe size"),
                       ("email,phone\nada@example.com,\n", "missing column: name"),
                       ("name,email,Email\nAda,a@example.com,b@example.com\n", "repeated columns: email"),
                       ("name\n" + "Someone\n" * 5001, "at most 5000 rows")]:
        fields = invalid_fields(run_import(client, owner, csv))

        assert words in fields["csv"], fields
    for payload, field in [({}, "csv"), ({"csv": 5}, "csv"), ({"csv": "name\n", "update_existing": "no"},
                                                              "update_existing"),
                           ({"csv": "name\n", "dry_run": True}, "dry_run")]:
        assert field in invalid_fields(call(client, "POST", "/customers/import", payload, session=owner))
    assert snapshot(owner.business_id) == before


def test_a_file_of_5000_rows_is_imported(client):
    owner = new_business(client)
    csv = "name,email,phone\n" + "".join(f"Person {i},p{i}@example.com,+44 7700 {i:06d}\n" for i in range(5000))

    report = body(run_import(client, owner, csv))

    assert report["created"] == 5000 and len(report["rows"]) == 5000
    assert len(customers(owner.business_id)) == 5000


def test_staff_cannot_import(client, mail):
    owner = new_business(client)
    staff = add_member(client, owner, mail, "staff")

    error_of(run_import(client, staff, "name\nAda\n"), 403, "forbidden")

    assert customers(owner.business_id) == []


def test_an_import_touches_only_the_callers_business(client):
    owner, other = new_business(client), new_business(client)
    theirs = created(client, owner, name="Ada", email="ada@example.com", phone="+44 7700 900001")
    before = snapshot(owner.business_id)

    report = body(run_import(client, other, "name,email,phone\nAda Stolen,ada@example.com,+44 7700 900001\n"))

    assert [line["status"] for line in report["rows"]] == ["created"]
    assert report["rows"][0]["customer_id"] != theirs["id"]
    assert snapshot(owner.business_id) == before
    assert [c["name"] for c in customers(other.business_id)] == ["Ada Stolen"]
