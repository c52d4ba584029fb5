"""The printable consent form (PDF): exactly what is shared, with whom, for what.

German plus the person's language; Arabic and Farsi right-to-left (WeasyPrint shapes them).
"""

import datetime
from dataclasses import dataclass


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
        person = record.person
        return cls(
            district_name=str(data["from_agency"].district),
            person_name=f"{person.given_names} {person.family_name}",
            person_birth=person.birth_display,
            categories=tuple(data["categories"]),
            from_name=data["from_agency"].name,
            to_name=data["to_agency"].name,
            purpose=data["purpose"],
            given_on=data.get("given_on"),
            valid_until=data.get("valid_until"),
            language=data["informed_language"],
        )

    @classmethod
    def from_consent(cls, record, consent) -> "ConsentFormData":
        from lotse.organisations.models import AgencyKind

        person = record.person
        return cls(
            district_name=str(consent.recorded_by_agency.district),
            person_name=f"{person.given_names} {person.family_name}",
            person_birth=person.birth_display,
            categories=tuple(consent.categories),
            from_name=consent.from_agency.name if consent.from_agency else str(
                AgencyKind(consent.from_kind).label),
            to_name=consent.to_agency.name if consent.to_agency else str(
                AgencyKind(consent.to_kind).label),
            purpose=consent.purpose,
            given_on=consent.given_on,
            valid_until=consent.valid_until,
            language=consent.informed_language,
            consent_id=consent.pk,
        )


def render_consent_form(data: ConsentFormData) -> bytes:
    from lotse.consent.pdf_render import render_consent_pdf

    return render_consent_pdf(data)
