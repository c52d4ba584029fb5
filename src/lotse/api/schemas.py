"""Request and response schemas of the API.

Input is checked here before any service sees it: lengths as in the models, no control
characters (a NUL byte is refused by PostgreSQL text columns), no lone surrogates, integers
in a range every database can store, only known categories, purposes and methods. Type and
format errors give 422 (ninja's default); business rules give 400 from the services.
"""

import datetime
import re
from typing import Annotated, Literal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from ninja import Field, Schema
from pydantic import AfterValidator, ConfigDict, Strict, StringConstraints, model_validator

from lotse.core.vocabulary import DataCategory, Purpose
from lotse.people.models import DocumentKind, Sex

# Largest id accepted anywhere (exact as a float and far below every database's limit).
MAX_ID = 2**53 - 1

# C0 controls, DEL, C1 controls and lone surrogates; a multi-line text may keep \t \n \r.
_BAD_IN_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_BAD_IN_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def _single_line(value: str) -> str:
    if _BAD_IN_LINE.search(value):
        raise ValueError("must not contain control characters or invalid Unicode")
    return value


def _text(value: str) -> str:
    if _BAD_IN_TEXT.search(value):
        raise ValueError("must not contain control characters or invalid Unicode")
    return value


def _email(value: str) -> str:
    if value:
        try:
            validate_email(value)
        except DjangoValidationError as exc:
            raise ValueError("is not a valid e-mail address") from exc
    return value


def Line(max_length: int, min_length: int = 0):  # noqa: N802 - a type factory
    return Annotated[
        str,
        StringConstraints(strip_whitespace=True, min_length=min_length, max_length=max_length),
        AfterValidator(_single_line),
    ]


def Pattern(pattern: str):  # noqa: N802 - a type factory
    return Annotated[str, StringConstraints(strip_whitespace=True, pattern=pattern)]


Text300 = Annotated[str, StringConstraints(strip_whitespace=True, max_length=300),
                    AfterValidator(_text)]
Id = Annotated[int, Strict(), Field(ge=1, le=MAX_ID)]
CategoryName = Literal[tuple(DataCategory.values)]  # type: ignore[valid-type]
PurposeName = Literal[tuple(Purpose.values)]  # type: ignore[valid-type]
SexCode = Literal[tuple(Sex.values)]  # type: ignore[valid-type]
DocumentCode = Literal[tuple(DocumentKind.values)]  # type: ignore[valid-type]
# A date a database can store and that makes sense for records of living persons.
Date = Annotated[datetime.date, Field(ge=datetime.date(1900, 1, 1), le=datetime.date(2999, 12, 31))]


class InputSchema(Schema):
    model_config = ConfigDict(extra="forbid")


# --- errors ------------------------------------------------------------------------------

class ErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]] | None = None


class InputErrorItem(Schema):
    type: str
    loc: list[str | int]
    msg: str


class InputErrorOut(Schema):
    """Malformed input (422): ninja's list of field errors."""

    detail: list[InputErrorItem]


# The error answers every operation that takes input declares (and gives).
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: InputErrorOut, 429: ErrorOut}


# --- persons -----------------------------------------------------------------------------

class SearchParams(Schema):
    name: Line(200) = Field("", description="Any spelling; given and family name in any order.")
    birth: Line(10) = Field("", description="YYYY, YYYY-MM, YYYY-MM-DD or DD.MM.YYYY.")
    azr_number: Line(12) = Field("", description="6 to 12 digits.")
    file_number: Line(50) = Field("", description="An agency's file number.")
    limit: int = Field(25, ge=1, le=100)


class IdentityOut(Schema):
    given_names: str
    family_name: str
    given_names_original: str
    family_name_original: str
    other_names: str
    birth_year: int | None
    birth_month: int | None
    birth_day: int | None
    sex: str
    nationalities: list[str]
    languages: list[str]
    preferred_language: str
    interpreter_needed: bool
    azr_number: str


class ContactOut(Schema):
    street: str
    postal_code: str
    city: str
    municipality_id: int | None
    phone: str
    email: str
    arrival_germany: datetime.date | None
    arrival_district: datetime.date | None


class HouseholdOut(Schema):
    household_id: int | None
    household_role: str


class ResidenceOut(Schema):
    id: int
    kind: str = Field(description="Code of the residence status kind, e.g. p25-2-gfk.")
    kind_name: str
    legal_basis: str
    document: str
    valid_from: datetime.date
    valid_to: datetime.date | None
    application_pending_since: datetime.date | None
    owning_agency_id: int
    owning_agency_name: str
    recorded_at: datetime.datetime


class BenefitsOut(Schema):
    id: int
    regime: str
    responsible_agency_id: int
    responsible_agency_name: str
    valid_from: datetime.date
    valid_to: datetime.date | None


class VisibilityOut(Schema):
    category: str
    visible: bool
    explanation: str


class PersonDetailOut(Schema):
    """A person as the policy lets this user see them: a group only for an allowed category."""

    id: int
    identity: IdentityOut | None = None
    contact: ContactOut | None = None
    household: HouseholdOut | None = None
    residence: list[ResidenceOut] | None = None
    benefits: list[BenefitsOut] | None = None
    visibility: list[VisibilityOut]


class SearchHitOut(Schema):
    id: int
    score: float
    identity: IdentityOut


class DuplicatesOut(Schema):
    detail: str
    duplicates: list[SearchHitOut]


class PersonIn(InputSchema):
    given_names: Line(200, min_length=1)
    family_name: Line(200, min_length=1)
    given_names_original: Line(200) = ""
    family_name_original: Line(200) = ""
    other_names: Line(500) = Field("", description="Further spellings, separated by semicolons.")
    birth_year: Annotated[int, Strict(), Field(ge=1900, le=2999)] | None = None
    birth_month: Annotated[int, Strict(), Field(ge=1, le=12)] | None = None
    birth_day: Annotated[int, Strict(), Field(ge=1, le=31)] | None = None
    sex: SexCode = "u"
    nationalities: list[Pattern(r"^\d{3}$")] = Field(
        default_factory=list, max_length=10, description="Destatis codes (three digits).")
    languages: list[Pattern(r"^[a-z]{2,3}$")] = Field(
        default_factory=list, max_length=20, description="ISO 639 codes; the first is preferred.")
    preferred_language: Pattern(r"^([a-z]{2,3})?$") = Field(
        "", description="Defaults to the first of `languages`.")
    interpreter_needed: Annotated[bool, Strict()] = Field(
        False, description="Needs an interpreter at appointments, in the preferred language.")
    azr_number: Pattern(r"^(\d{6,12})?$") = ""
    file_number: Line(50) = Field("", description="Your agency's file number.")
    street: Line(200) = ""
    postal_code: Pattern(r"^(\d{5})?$") = ""
    city: Line(100) = ""
    municipality_id: Id | None = None
    phone: Line(50) = ""
    email: Annotated[Line(254), AfterValidator(_email)] = ""
    arrival_germany: Date | None = None
    arrival_district: Date | None = None
    confirm_new: bool = Field(
        False, description="Register even though likely duplicates were found (answer 409).")

    @model_validator(mode="after")
    def _birth_parts(self) -> "PersonIn":
        if self.birth_day and not self.birth_month:
            raise ValueError("birth_day needs birth_month")
        if self.birth_month and not self.birth_year:
            raise ValueError("birth_month needs birth_year")
        if self.birth_year and self.birth_month and self.birth_day:
            try:
                datetime.date(self.birth_year, self.birth_month, self.birth_day)
            except ValueError as exc:
                raise ValueError("this date of birth does not exist") from exc
        return self


# --- residence ---------------------------------------------------------------------------

class ResidenceListOut(Schema):
    person_id: int
    visibility: VisibilityOut
    statuses: list[ResidenceOut]


class FileIn(InputSchema):
    file_number: Line(50) = Field("", description="Your agency's file number (Aktenzeichen).")


class FileOut(Schema):
    person_id: int
    agency_id: int
    file_number: str


class ResidenceIn(InputSchema):
    kind: Line(40, min_length=1) = Field(description="Code of a residence status kind in force.")
    document: DocumentCode = "none"
    valid_from: Date
    valid_to: Date | None = None
    application_pending_since: Date | None = None


# --- consents ----------------------------------------------------------------------------

class ConsentOut(Schema):
    id: int
    person_id: int
    categories: list[str]
    purpose: str
    from_agency_id: int | None
    from_agency_name: str
    from_kind: str
    to_agency_id: int | None
    to_agency_name: str
    to_kind: str
    given_on: datetime.date
    valid_from: datetime.date
    valid_until: datetime.date | None
    method: str
    informed_language: str
    given_by_guardian: bool
    recorded_at: datetime.datetime
    recorded_by_agency_id: int
    revoked_at: datetime.datetime | None
    revocation_note: str
    valid_today: bool


class ConsentIn(InputSchema):
    categories: list[CategoryName] = Field(min_length=1, max_length=len(DataCategory.values))
    purpose: PurposeName
    from_agency_id: Id = Field(description="The agency holding the data.")
    to_agency_id: Id = Field(description="The agency that may receive the data.")
    given_on: Date
    valid_until: Date | None = None
    method: Literal["signed_form", "electronic"] = Field(
        description="The API takes no uploads: a signed form kept on file, or an electronic "
                    "declaration.")
    informed_language: Pattern(r"^[a-z]{2,3}$") = Field(
        description="Language the person was informed in (one of LOTSE_PERSON_LANGUAGES).")
    given_by_guardian: Annotated[bool, Strict()] = False


class RevokeIn(InputSchema):
    note: Text300 = Field("", description="How the revocation was declared.")

