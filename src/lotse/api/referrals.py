"""Referral endpoints: the inbox of the receiving agency, the sent list, one referral, sending
(with the consent check) and the answers (accept, decline, done, withdraw).

Reads go through `lotse.referrals.selectors`: the referral row is shown to the sending and the
receiving agency only (`ReferralNotFound` → 404 for everyone else), the person only as far as
the spine allows — a recipient whose consent was revoked still sees the referral, not the
person. Writes go through `lotse.referrals.services`, which send only when a rule or a valid
consent opens every named category to the recipient.
"""

from typing import Annotated

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Path, Query, Router, Status

from lotse.access.spine import AccessDenied, PersonNotFound
from lotse.api.auth import ctx_of
from lotse.api.cases import ERRORS, person_ref, require
from lotse.api.persons import _detail as person_detail
from lotse.api.schemas import MAX_ID
from lotse.api.schemas_cases import (
    DeclineIn,
    DoneIn,
    ReferralIn,
    ReferralListParams,
    ReferralOut,
    ReferralPageOut,
)
from lotse.organisations import permissions
from lotse.referrals.selectors import ReferralDetail, inbox, outbox, referral_detail
from lotse.referrals.services import (
    referral_accept,
    referral_decline,
    referral_done,
    referral_preview,
    referral_send,
    referral_withdraw,
)

router = Router(tags=["referrals"])

ReferralId = Annotated[int, Path(ge=1, le=MAX_ID, description="Id of the referral.")]


# --- shaping ---------------------------------------------------------------------------

def _row(referral, record, overdue_since) -> dict:
    return {
        "id": referral.pk, "person": person_ref(record) if record is not None else None,
        "from_agency_id": referral.from_agency_id, "from_agency_name": referral.from_agency.name,
        "to_agency_id": referral.to_agency_id, "to_agency_name": referral.to_agency.name,
        "offer_id": referral.offer_id, "offer_name": referral.offer.name if referral.offer_id else "",
        "purpose": referral.purpose, "categories": referral.categories, "status": referral.status,
        "sent_at": referral.sent_at, "answered_at": referral.answered_at,
        "done_at": referral.done_at, "overdue_since": overdue_since,
    }


def _page_out(page) -> dict:
    return {"items": [_row(r.referral, r.record, r.overdue_since) for r in page.rows],
            "page": page.number, "num_pages": page.num_pages, "total": page.total}


def _detail_out(detail: ReferralDetail) -> dict:
    referral = detail.referral
    out = _row(referral, detail.record, detail.overdue_since)
    out.update({
        "case_id": referral.case_id if detail.is_sender else None,
        "is_sender": detail.is_sender, "is_recipient": detail.is_recipient,
        "message": referral.message if detail.message_visible else None,
        "decline_reason": referral.decline_reason, "feedback": referral.feedback,
        "answers": detail.answers,
        "passed": [{"category": label, "explanation": text, "shown": shown}
                   for label, text, shown in detail.passed],
        "record": _record_out(detail.record) if detail.record is not None else None,
    })
    return out


def _record_out(record) -> dict:
    """The person as `GET /persons/{id}` shapes it, explaining only the categories this read
    asked the spine for (the ones the referral names)."""
    out = person_detail(record)
    out["visibility"] = [v for v in out["visibility"] if v["category"] in record.decisions]
    return out


def _read(ctx, referral_id: int) -> dict:
    return _detail_out(referral_detail(ctx, referral_id))


# --- lists -----------------------------------------------------------------------------

@router.get("/referrals/inbox", response={200: ReferralPageOut, **ERRORS},
            summary="Referrals to your agency, newest first")
def list_inbox(request: HttpRequest, params: Query[ReferralListParams]):
    """Needs `referral:answer`. Each person shown is logged as `referral.inbox.read`; a person
    you may not see (any more) is listed with `person: null`."""
    ctx = ctx_of(request)
    require(ctx, permissions.REFERRAL_ANSWER)
    return _page_out(inbox(ctx, status=params.status or None, page=params.page))


@router.get("/referrals/outbox", response={200: ReferralPageOut, **ERRORS},
            summary="Referrals sent by your agency, newest first")
def list_outbox(request: HttpRequest, params: Query[ReferralListParams]):
    """Needs `referral:send`. Logged as `referral.outbox.read`."""
    ctx = ctx_of(request)
    require(ctx, permissions.REFERRAL_SEND)
    return _page_out(outbox(ctx, status=params.status or None, page=params.page))


@router.get("/referrals/{referral_id}", response={200: ReferralOut, **ERRORS},
            summary="Read a referral (sending or receiving agency only)")
def get_referral(request: HttpRequest, referral_id: ReferralId):
    """The recipient reads the person in the categories the referral names, as far as a rule
    or a consent opens them (`passed` explains each); the message only while it sees the
    person. Logged as `referral.read`."""
    return _read(ctx_of(request), referral_id)


# --- sending ---------------------------------------------------------------------------

@router.post("/referrals", response={201: ReferralOut, **ERRORS},
             summary="Refer a person to another agency or to an offer")
def create_referral(request: HttpRequest, payload: ReferralIn):
    """Needs `referral:send` and a file of your agency on the person (with `case_id`: your
    open case of that person). Refused with 400 unless a statutory rule or a valid consent
    opens every named category of your agency's data to the recipient for the purpose:
    `errors.categories` says so in words, `errors.missing_consent` lists the category codes a
    consent would open and `errors.blocked` those closed by law. Nothing is saved then; record
    the consent (`POST /persons/{id}/consents`) and send again."""
    ctx = ctx_of(request)
    arguments = {"ctx": ctx, "person_id": payload.person_id, "to_agency_id": payload.to_agency_id,
                 "offer_id": payload.offer_id, "purpose": payload.purpose,
                 "categories": list(dict.fromkeys(payload.categories))}
    try:
        referral = referral_send(**arguments, case_id=payload.case_id, message=payload.message)
    except ValidationError as exc:
        raise _with_coverage(arguments, exc) from exc
    return Status(201, _read(ctx, referral.pk))


def _with_coverage(arguments: dict, exc: ValidationError) -> ValidationError:
    """Add the codes of the categories a consent is missing for (or that law blocks) to a
    refused referral; other refusals pass unchanged."""
    if not hasattr(exc, "error_dict") or "categories" not in exc.error_dict:
        return exc
    try:
        coverage = referral_preview(**arguments).coverage
    except (ValidationError, AccessDenied, PersonNotFound):
        return exc
    if not coverage.not_covered:
        return exc
    errors = dict(exc.message_dict)
    if coverage.missing:
        errors["missing_consent"] = list(coverage.missing)
    if coverage.blocked:
        errors["blocked"] = list(coverage.blocked)
    return ValidationError(errors)


# --- answers ---------------------------------------------------------------------------

@router.post("/referrals/{referral_id}/accept", response={200: ReferralOut, **ERRORS},
             summary="Accept a referral to your agency")
def accept(request: HttpRequest, referral_id: ReferralId):
    """Needs `referral:answer`. Your agency opens a file on the person, so the person must be
    visible to you (a rule or a valid consent); otherwise 400 — decline it instead."""
    ctx = ctx_of(request)
    referral_accept(ctx=ctx, referral_id=referral_id)
    return _read(ctx, referral_id)


@router.post("/referrals/{referral_id}/decline", response={200: ReferralOut, **ERRORS},
             summary="Decline a referral to your agency, with a reason")
def decline(request: HttpRequest, referral_id: ReferralId, payload: DeclineIn):
    ctx = ctx_of(request)
    referral_decline(ctx=ctx, referral_id=referral_id, reason=payload.reason)
    return _read(ctx, referral_id)


@router.post("/referrals/{referral_id}/done", response={200: ReferralOut, **ERRORS},
             summary="Mark an accepted referral as done, with feedback")
def done(request: HttpRequest, referral_id: ReferralId, payload: DoneIn):
    ctx = ctx_of(request)
    referral_done(ctx=ctx, referral_id=referral_id, feedback=payload.feedback)
    return _read(ctx, referral_id)


@router.post("/referrals/{referral_id}/withdraw", response={200: ReferralOut, **ERRORS},
             summary="Withdraw a referral your agency sent")
def withdraw(request: HttpRequest, referral_id: ReferralId):
    """Needs `referral:send`; only while the referral is sent or accepted."""
    ctx = ctx_of(request)
    referral_withdraw(ctx=ctx, referral_id=referral_id)
    return _read(ctx, referral_id)
