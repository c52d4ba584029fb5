"""Person endpoints: search, read, register; residence history; consents.

Thin handlers: parse (schemas), call the access spine or a service, shape the answer. Every
read of a person goes through `access_person`/`person_search`, which decide and log it;
`PersonNotFound` (missing or forbidden alike) becomes 404, `AccessDenied` 403 and a
`ValidationError` 400 (see `lotse.api.api`).
"""

from typing import Annotated

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Path, Router, Status

from lotse.access.budget import charge
from lotse.access.context import AccessContext
from lotse.access.policy import CategoryDecision, Denial
from lotse.access.spine import AccessDenied, PersonRecord, access_person
from lotse.api.auth import ctx_of
from lotse.api.schemas import (
    ERRORS,
    MAX_ID,
    ConsentIn,
    ConsentOut,
    DuplicatesOut,
    FileIn,
    FileOut,
    PersonDetailOut,
    PersonIn,
    ResidenceIn,
    ResidenceListOut,
    ResidenceOut,
    RevokeIn,
    SearchHitOut,
    SearchParams,
)
from lotse.consent.queries import consents_for_record
from lotse.consent.services import consent_record, consent_revoke
from lotse.core.request_budget import PERSON_SEARCH
from lotse.core.vocabulary import CATEGORY_ORDER, DataCategory, Purpose
from lotse.organisations import permissions
from lotse.organisations.models import Agency, Municipality
from lotse.people.matching import PartialDate
from lotse.people.models import FIELD_CATEGORIES, Person
from lotse.people.selectors import AZR_PATTERN, SearchQuery, person_search
from lotse.people.services import (
    PersonData,
    person_create,
    person_link_agency,
    residence_status_add,
)
from lotse.rules.models import ResidenceKind

router = Router(tags=["persons"])

PersonId = Annotated[int, Path(ge=1, le=MAX_ID, description="Id of the person.")]
ConsentId = Annotated[int, Path(ge=1, le=MAX_ID, description="Id of the consent.")]

# Like the staff UI: a search shows hits from this score, a registration warns from this one.
SEARCH_THRESHOLD = 55.0
DUPLICATE_THRESHOLD = 80.0



# --- shaping ---------------------------------------------------------------------------

def _fields_of(person: Person, category: str) -> dict:
    out = {}
    for name, field_category in FIELD_CATEGORIES.items():
        if field_category == category:
            attname = Person._meta.get_field(name).attname
            out[attname] = getattr(person, attname)
    return out


def _explain(category: str, decision: CategoryDecision | None) -> dict:
    if decision is None:  # not asked for: the user's roles do not include the category
        return {"category": category, "visible": False,
                "explanation": Denial("role").explain(category)}
    reasons = [basis.explain() for basis in dict.fromkeys(decision.allowed.values())]
    reasons += [
        denial.explain(category) for denial in decision.denied
        if not (decision.any_allowed and denial.reason == "no_data")
    ]
    return {"category": category, "visible": decision.any_allowed,
            "explanation": "; ".join(dict.fromkeys(reasons))}


def _agency_names(ids) -> dict[int, str]:
    return dict(Agency.objects.filter(pk__in=set(ids)).values_list("pk", "name"))


def _residence_rows(statuses) -> list[dict]:
    names = _agency_names(s.owning_agency_id for s in statuses)
    return [
        {"id": s.pk, "kind": s.kind.code, "kind_name": s.kind.name,
         "legal_basis": s.kind.legal_basis, "document": s.document, "valid_from": s.valid_from,
         "valid_to": s.valid_to, "application_pending_since": s.application_pending_since,
         "owning_agency_id": s.owning_agency_id,
         "owning_agency_name": names.get(s.owning_agency_id, ""), "recorded_at": s.recorded_at}
        for s in statuses
    ]


def _benefits_rows(regimes) -> list[dict]:
    return [
        {"id": r.pk, "regime": r.regime, "responsible_agency_id": r.responsible_agency_id,
         "responsible_agency_name": r.responsible_agency.name, "valid_from": r.valid_from,
         "valid_to": r.valid_to}
        for r in regimes
    ]


def _detail(record: PersonRecord) -> dict:
    person = record.person
    out: dict = {"id": person.pk}
    for category in (DataCategory.IDENTITY, DataCategory.CONTACT, DataCategory.HOUSEHOLD):
        if record.shows(category):
            out[category.value] = _fields_of(person, category)
    if record.shows(DataCategory.RESIDENCE):
        out["residence"] = _residence_rows(record.residence_statuses)
    if record.shows(DataCategory.BENEFITS):
        out["benefits"] = _benefits_rows(record.benefits_regimes)
    out["visibility"] = [_explain(c, record.decisions.get(c)) for c in CATEGORY_ORDER]
    return out


def _hit(hit) -> dict:
    return {"id": hit.record.person.pk, "score": round(hit.score, 1),
            "identity": _fields_of(hit.record.person, DataCategory.IDENTITY)}


def _consent(consent, today) -> dict:
    """A consent's scope (agencies, categories, purpose, dates); the scan itself is not sent."""
    return {
        "id": consent.pk, "person_id": consent.person_id, "categories": consent.categories,
        "purpose": consent.purpose,
        "from_agency_id": consent.from_agency_id, "from_kind": consent.from_kind,
        "from_agency_name": consent.from_agency.name if consent.from_agency_id else "",
        "to_agency_id": consent.to_agency_id, "to_kind": consent.to_kind,
        "to_agency_name": consent.to_agency.name if consent.to_agency_id else "",
        "given_on": consent.given_on, "valid_from": consent.valid_from,
        "valid_until": consent.valid_until, "method": consent.method,
        "informed_language": consent.informed_language,
        "given_by_guardian": consent.given_by_guardian, "recorded_at": consent.recorded_at,
        "recorded_by_agency_id": consent.recorded_by_agency_id,
        "revoked_at": consent.revoked_at, "revocation_note": consent.revocation_note,
        "valid_today": consent.is_valid_on(today),
    }


# --- persons ---------------------------------------------------------------------------

@router.post("/persons/search", response={200: list[SearchHitOut], **ERRORS},
             summary="Search persons (tolerant of spellings)")
def search_persons(request: HttpRequest, params: SearchParams):
    """Transliteration variants, swapped names and partial dates of birth are found. Only
    identity fields are returned; each person shown is logged as `person.search`. The search
    terms travel in the JSON body, never in the URL, so no proxy or server log records them."""
    ctx = ctx_of(request)
    if not (params.name or params.birth or params.azr_number or params.file_number):
        raise ValidationError(_("Enter a name, a date of birth, an AZR number or a file number."))
    birth = None
    if params.birth:
        try:
            birth = PartialDate.parse(params.birth)
        except ValueError as exc:
            raise ValidationError({"birth": _(
                "Enter the date of birth as YYYY, YYYY-MM, YYYY-MM-DD or DD.MM.YYYY.")}) from exc
    if params.azr_number and not AZR_PATTERN.match(params.azr_number):
        raise ValidationError({"azr_number": _("An AZR number has 6 to 12 digits.")})
    query = SearchQuery(name=params.name, birth=birth, azr_number=params.azr_number,
                        file_number=params.file_number)
    charge(ctx, PERSON_SEARCH)  # the user's search budget, shared with the staff UI
    hits = person_search(ctx, query, purpose=ctx.work_purpose(), limit=params.limit,
                         threshold=SEARCH_THRESHOLD)
    return [_hit(hit) for hit in hits]


@router.get("/persons/{person_id}", response={200: PersonDetailOut, **ERRORS},
            exclude_unset=True, summary="Read a person (only the categories allowed)")
def get_person(request: HttpRequest, person_id: PersonId):
    """Fields are grouped by data category; a group is present only if the policy allowed
    it. `visibility` explains every category: why it is shown, or why it is hidden."""
    ctx = ctx_of(request)
    record = access_person(ctx, person_id, ctx.work_purpose())
    return _detail(record)


def _person_data(ctx: AccessContext, payload: PersonIn) -> PersonData:
    errors = {}
    if payload.municipality_id and not Municipality.objects.filter(
        pk=payload.municipality_id, district_id=ctx.district_id
    ).exists():
        errors["municipality_id"] = [_("Unknown municipality.")]
    for name in ("arrival_germany", "arrival_district"):
        value = getattr(payload, name)
        if value and value > ctx.today:
            errors[name] = [_("This date lies in the future.")]
    if errors:
        raise ValidationError(errors)
    values = payload.dict(exclude={"file_number", "confirm_new"})
    if not values["preferred_language"] and values["languages"]:
        values["preferred_language"] = values["languages"][0]
    return PersonData(**values)


@router.post("/persons", response={201: PersonDetailOut, 409: DuplicatesOut, **ERRORS},
             exclude_unset=True, summary="Register a person")
def create_person(request: HttpRequest, payload: PersonIn):
    """Needs the permission `person:create`. Like the staff UI, a registration that looks
    like an existing record answers 409 with the likely duplicates; send `confirm_new: true`
    to register anyway. The new record is filed under the user's agency."""
    ctx = ctx_of(request)
    if not ctx.has_permission(permissions.PERSON_CREATE):
        raise AccessDenied(_("You lack the permission '%(perm)s'.") % {
            "perm": permissions.PERSON_CREATE})
    data = _person_data(ctx, payload)
    if not payload.confirm_new:
        birth = PartialDate(data.birth_year, data.birth_month, data.birth_day) if (
            data.birth_year) else None
        duplicates = person_search(
            ctx, SearchQuery(name=f"{data.given_names} {data.family_name}", birth=birth),
            purpose=Purpose.REGISTRY, threshold=DUPLICATE_THRESHOLD, limit=10,
        )
        if duplicates:
            return Status(409, {
                "detail": _("Likely duplicates exist; check them, or send confirm_new to "
                            "register a new record."),
                "duplicates": [_hit(hit) for hit in duplicates],
            })
    person = person_create(ctx=ctx, data=data, file_number=payload.file_number)
    return Status(201, _detail(access_person(ctx, person.pk, ctx.work_purpose())))


# --- residence -------------------------------------------------------------------------

@router.get("/persons/{person_id}/residence", response={200: ResidenceListOut, **ERRORS},
            summary="Residence history (rows the policy allows)")
def list_residence(request: HttpRequest, person_id: PersonId):
    """Only rows of agencies whose residence data the user may see (own agency, statutory
    rule such as the social office's read access to the foreigners' authority for persons of
    its municipality, or consent). 404 if the person's identity is not visible."""
    ctx = ctx_of(request)
    record = access_person(ctx, person_id, ctx.work_purpose(), action="residence.read",
                           categories=[DataCategory.IDENTITY, DataCategory.RESIDENCE])
    category = DataCategory.RESIDENCE
    return {"person_id": record.person.pk,
            "visibility": _explain(category, record.decisions.get(category)),
            "statuses": _residence_rows(record.residence_statuses)}


@router.post("/persons/{person_id}/residence", response={201: ResidenceOut, **ERRORS},
             summary="Record a residence status (foreigners' authority)")
def add_residence(request: HttpRequest, person_id: PersonId, payload: ResidenceIn):
    """Only the kind of agency that records residence statuses (rule data: the foreigners'
    authority), with the permission `person:edit` and a file of its own on the person."""
    ctx = ctx_of(request)
    kind = ResidenceKind.objects.in_force(ctx.today).filter(code=payload.kind).first()
    if kind is None:
        raise ValidationError({"kind": _("Unknown residence status kind, or not in force.")})
    status = residence_status_add(
        ctx=ctx, person_id=person_id, kind_id=kind.pk, document=payload.document,
        valid_from=payload.valid_from, valid_to=payload.valid_to,
        application_pending_since=payload.application_pending_since,
    )
    return Status(201, _residence_rows([status])[0])


@router.post("/persons/{person_id}/file", response={201: FileOut, **ERRORS},
             summary="Open a file of your agency on a person you can see")
def open_file(request: HttpRequest, person_id: PersonId, payload: FileIn):
    """Writes need a file of your own agency on the person; a rule or consent that lets you
    see the person is enough to open one. Needs `person:edit`."""
    ctx = ctx_of(request)
    person_link_agency(ctx=ctx, person_id=person_id, file_number=payload.file_number)
    return Status(201, FileOut(person_id=person_id, agency_id=ctx.agency_id,
                               file_number=payload.file_number))


# --- consents --------------------------------------------------------------------------

@router.get("/persons/{person_id}/consents", response={200: list[ConsentOut], **ERRORS},
            summary="Consents of a person")
def list_consents(request: HttpRequest, person_id: PersonId):
    """Read with the user's work purpose: a consent states its scope, no content."""
    ctx = ctx_of(request)
    record = access_person(ctx, person_id, ctx.work_purpose(),
                           categories=[DataCategory.IDENTITY], action="consent.list")
    return [_consent(c, ctx.today) for c in consents_for_record(ctx, record)]


@router.post("/persons/{person_id}/consents", response={201: ConsentOut, **ERRORS},
             summary="Record a consent")
def create_consent(request: HttpRequest, person_id: PersonId, payload: ConsentIn):
    """Needs `consent:record`. No upload through the API: `method` is `signed_form` (kept on
    file) or `electronic`."""
    ctx = ctx_of(request)
    if not ctx.has_permission(permissions.CONSENT_RECORD):
        raise AccessDenied(_("You may not record consents."))
    errors = {}
    if payload.from_agency_id == payload.to_agency_id:
        errors["to_agency_id"] = [_("Sender and recipient must differ.")]
    if payload.informed_language not in settings.LOTSE_PERSON_LANGUAGES:
        errors["informed_language"] = [_("Choose one of: %(codes)s.") % {
            "codes": ", ".join(settings.LOTSE_PERSON_LANGUAGES)}]
    if payload.valid_until and payload.valid_until < payload.given_on:
        errors["valid_until"] = [_("The consent cannot end before it was given.")]
    if errors:
        raise ValidationError(errors)
    consent = consent_record(
        ctx=ctx, person_id=person_id, categories=list(dict.fromkeys(payload.categories)),
        purpose=payload.purpose, to_agency_id=payload.to_agency_id,
        from_agency_id=payload.from_agency_id, given_on=payload.given_on,
        valid_until=payload.valid_until, method=payload.method,
        informed_language=payload.informed_language, given_by_guardian=payload.given_by_guardian,
    )
    return Status(201, _consent(consent, ctx.today))


@router.post("/persons/{person_id}/consents/{consent_id}/revoke",
             response={200: ConsentOut, **ERRORS}, summary="Record the revocation of a consent")
def revoke_consent(request: HttpRequest, person_id: PersonId, consent_id: ConsentId,
                   payload: RevokeIn):
    """Needs `consent:revoke`. The revocation stops the very next access."""
    ctx = ctx_of(request)
    consent = consent_revoke(ctx=ctx, consent_id=consent_id, person_id=person_id,
                             note=payload.note)
    return _consent(consent, ctx.today)
