"""The data package of a handover printed as PDF (WeasyPrint), in German.

No database here: the package (`handovers.package.handover_package`, read, decided and logged
there) is plain data. Build it inside `translation.override("de")` so that the policy's
explanations are German too. Free values (names, addresses) are isolated from the
surrounding text direction, so names in Arabic script print correctly.
"""

from pathlib import Path

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext

from lotse.core.printing import css_string, isolate, write_tagged_pdf
from lotse.handovers.package import CategoryState, HandoverPackage

TEMPLATE = "handovers/package_pdf.html"
BASE_URL = str(Path(__file__).resolve().parent)


def _date(value) -> str:
    return date_format(value, "d.m.Y") if value else "–"


def build_context(package: HandoverPackage) -> dict:
    members = [
        {
            "name": isolate(member.name),
            "person_id": member.person_id,
            "is_trigger_person": member.is_trigger_person,
            "sections": [
                {
                    "label": section.label,
                    "state": section.state,
                    "explanation": section.explanation,
                    "rows": [(row.label, isolate(row.display)) for row in section.rows],
                    "entries": [isolate(entry["display"]) for entry in section.entries],
                }
                for section in member.sections
            ],
        }
        for member in package.members
    ]
    title = gettext("Data package for the change of benefits regime")
    return {
        "package": package,
        "title": title,
        "members": members,
        "hidden": [(isolate(m.name), s.label, s.explanation) for m, s in package.hidden],
        "shown": CategoryState.SHOWN,
        "hidden_state": CategoryState.HIDDEN,
        "from_agency": isolate(package.from_agency_name),
        "to_agency": isolate(package.to_agency_name),
        "dates": {
            "trigger_on": _date(package.trigger_on),
            "old_regime_ends_on": _date(package.old_regime_ends_on),
            "new_regime_starts_on": _date(package.new_regime_starts_on),
            "application_due_on": _date(package.application_due_on),
            "generated_on": _date(package.generated_on),
        },
        "footer_reference": css_string(
            f"{package.district_name} · {title} · {gettext('Handover')} {package.handover_id} · "
            f"{_date(package.generated_on)}"),
    }


def render_package_html(package: HandoverPackage) -> str:
    with translation.override("de"):
        return render_to_string(TEMPLATE, build_context(package))


def render_package_pdf(package: HandoverPackage) -> bytes:
    """The package as PDF bytes (tagged PDF/UA-1 where WeasyPrint manages it)."""
    import weasyprint  # heavy import; keep it out of module import

    html = weasyprint.HTML(string=render_package_html(package), base_url=BASE_URL)
    return write_tagged_pdf(html, what="package print")
