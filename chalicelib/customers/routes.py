from __future__ import annotations

from typing import Annotated, Any, Literal
from uuid import UUID

import msgspec
from chalice import Blueprint

from chalicelib.core import rate_limit
from chalicelib.core.answer import Answer, Timestamp
from chalicelib.core.endpoint import endpoint
from chalicelib.core.pagination import PageQuery
from chalicelib.core.security import Caller
from chalicelib.core.validate import Email, Name, Struct, present
from chalicelib.customers import importer, service
from chalicelib.customers.service import Locale, Phone, Tag, Tags

bp = Blueprint(__name__)

UNSET = msgspec.UNSET
Unset = msgspec.UnsetType
Channel = Literal["email", "whatsapp"]


class CustomerSearch(PageQuery):
    q: Annotated[str, msgspec.Meta(min_length=1, max_length=100)] | None = None
    email: Email | None = None
    phone: Phone | None = None
    tag: Tag | None = None


class NewCustomer(Struct):
    name: Name
    email: Email | None = None
    phone: Phone | None = None
    tags: Tags = msgspec.field(default_factory=list)
    locale: Locale | None = None
    preferred_channel: Channel = "email"
    marketing_opt_in: bool = False
    terms_accepted: bool = False


class CustomerUpdate(Struct):
    name: Name | Unset = UNSET
    email: Email | None | Unset = UNSET
    phone: Phone | None | Unset = UNSET
    tags: Tags | Unset = UNSET
    locale: Locale | None | Unset = UNSET
    preferred_channel: Channel | Unset = UNSET
    marketing_opt_in: bool | Unset = UNSET
    terms_accepted: bool | Unset = UNSET
    version: Annotated[int, msgspec.Meta(ge=1, le=2**31 - 1)] | None = None


class NewNote(Struct):
    body: Annotated[str, msgspec.Meta(min_length=1, max_length=5000, pattern=r"\S")]


class CustomerImport(Struct):
    csv: str
    update_existing: bool = True


class Customer(Answer):
    id: UUID
    name: str
    email: str | None
    phone: str | None
    phone_normalized: str | None  # E.164
    tags: list[str]
    locale: str | None
    preferred_channel: Literal["email", "whatsapp"]
    marketing_opt_in: bool
    terms_accepted: bool
    terms_accepted_at: Timestamp | None
    erased_at: Timestamp | None
    version: int
    created_at: Timestamp
    updated_at: Timestamp


class CustomerPage(Answer):
    items: list[Customer]
    next_cursor: str | None


class Author(Answer):
    id: UUID
    name: str


class Note(Answer):
    id: UUID
    body: str
    author: Author | None  # null: the author's account is gone
    created_at: Timestamp


class ConsentRecord(Answer):
    kind: Literal["terms", "marketing"]
    granted: bool
    status: str
    source: str
    actor_id: UUID | None
    recorded_at: Timestamp


class CustomerRecord(Customer):
    notes: list[Note]  # newest first
    consents: list[ConsentRecord]  # newest first


class ImportLine(Answer):
    row: int
    status: Literal["created", "updated", "rejected"]
    customer_id: UUID | None
    reason: str | None


class ImportReport(Answer):
    created: int
    updated: int
    rejected: int
    rows: list[ImportLine]


class ConsentConfirmed(Answer):
    kind: Literal["marketing"]
    granted: bool


def _changes(body: CustomerUpdate) -> dict[str, Any]:
    changes = present(body)
    changes.pop("version", None)
    return changes


@endpoint(bp, "/customers", "GET", query=CustomerSearch, tag="customers", response=CustomerPage,
          summary="Search live customers (?q= name substring, e-mail prefix or phone digits; ?email=, ?phone=, "
                  "?tag=), in name order")
def list_customers(caller: Caller, query: CustomerSearch) -> Any:
    return service.search(caller.business_id, q=query.q, email=query.email, phone=query.phone, tag=query.tag,
                          limit=query.limit, cursor=query.cursor)


@endpoint(bp, "/customers", "POST", body=NewCustomer, status=201, tag="customers", errors=(409,),
          response=Customer,
          summary="Create a customer (e-mail and phone unique within the business; consents recorded)")
def create_customer(caller: Caller, body: NewCustomer) -> Any:
    return service.create(caller.business_id, actor_id=caller.user_id, **msgspec.structs.asdict(body))


@endpoint(bp, "/customers/import", "POST", body=CustomerImport, role="admin", tag="customers", errors=(409,),
          response=ImportReport,
          summary="Import customers from CSV (name, email, phone, tags, marketing_opt_in) with a per-row report")
def import_customers(caller: Caller, body: CustomerImport) -> Any:
    return importer.import_csv(caller.business_id, body.csv, update_existing=body.update_existing,
                               actor_id=caller.user_id)


@endpoint(bp, "/customers/{customer_id}", "GET", tag="customers", response=CustomerRecord,
          summary="A customer with its notes and consent history (newest first)")
def get_customer(caller: Caller, customer_id: UUID) -> Any:
    return service.read(caller.business_id, customer_id)


@endpoint(bp, "/customers/{customer_id}", "PATCH", body=CustomerUpdate, tag="customers", errors=(409,),
          response=Customer,
          summary="Update a customer (optional `version`); consent changes are recorded")
def update_customer(caller: Caller, customer_id: UUID, body: CustomerUpdate) -> Any:
    return service.update(caller.business_id, customer_id, _changes(body), expected_version=body.version,
                          actor_id=caller.user_id)


@endpoint(bp, "/customers/{customer_id}", "DELETE", role="admin", status=204, tag="customers",
          summary="GDPR erase: anonymise the customer in place (appointments and consent history stay)")
def erase_customer(caller: Caller, customer_id: UUID) -> None:
    service.erase(caller.business_id, customer_id)


@endpoint(bp, "/customers/{customer_id}/notes", "POST", body=NewNote, status=201, tag="customers", errors=(409,),
          response=Note,
          summary="Add an internal note to a customer")
def add_customer_note(caller: Caller, customer_id: UUID, body: NewNote) -> Any:
    return service.add_note(caller.business_id, customer_id, body=body.body, author_id=caller.user_id)


@endpoint(bp, "/public/consent/{token}", "POST", public=True, tag="public", errors=(404, 429),
          response=ConsentConfirmed,
          summary="Confirm, from the e-mailed single-use link, the marketing consent asked for on the booking page")
def confirm_consent(token: str) -> Any:
    return service.confirm_consent(token, client=rate_limit.client_address(bp.current_request))
