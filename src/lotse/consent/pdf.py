"""The printable consent form (PDF): exactly what is shared, with whom, for what.

German plus the person's language; Arabic and Farsi right-to-left (WeasyPrint shapes them).
"""

import datetime
from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext


@dataclass(frozen=True)
class ConsentFormData:
    district_name: str
    person_name: str
    person_birth: str
    categories: tuple[str, ...]
    from_name: str
    to_name: str
    purpose: str
    given_on: datetime.date | None
    valid_until: datetime.date | None
    language: str
    consent_id: int | None = None

    @classmethod
    def from_form(cls, record, data: dict) -> "ConsentFormData":
        return cls._build(
            record, categories=data["categories"],
            from_name=_party_name(data.get("from_agency"), data.get("from_kind", "")),
            to_name=_party_name(data.get("to_agency"), data.get("to_kind", "")),
            purpose=data["purpose"], given_on=data.get("given_on"),
            valid_until=data.get("valid_until"), language=data["informed_language"],
        )

    @classmethod
    def from_consent(cls, record, consent) -> "ConsentFormData":
        return cls._build(
            record, categories=consent.categories,
            from_name=_party_name(consent.from_agency, consent.from_kind),
            to_name=_party_name(consent.to_agency, consent.to_kind),
            purpose=consent.purpose, given_on=consent.given_on,
            valid_until=consent.valid_until, language=consent.informed_language,
            consent_id=consent.pk,
        )

    @classmethod
    def _build(cls, record, *, categories, **values) -> "ConsentFormData":
        person = record.person
        return cls(
            district_name=str(person.district),
            person_name=f"{person.given_names} {person.family_name}",
            person_birth=person.birth_display,
            categories=tuple(categories),
            **values,
        )


def _party_name(agency, kind: str) -> str:
    """An agency's name, or 'every agency of kind X' when the consent names a kind."""
    if agency is not None:
        return agency.name
    from lotse.organisations.models import AgencyKind

    with translation.override("de"):
        return gettext("every agency of the kind: %(kind)s") % {"kind": AgencyKind(kind).label}


def render_consent_form(data: ConsentFormData) -> bytes:
    from lotse.consent.pdf_render import render_consent_pdf

    return render_consent_pdf(data)
