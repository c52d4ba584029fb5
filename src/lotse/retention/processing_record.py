"""The record of processing activities (Art. 30 GDPR), built from the retention registry:
one activity per data kind, with its purpose, legal basis, persons, data categories,
recipients, the models holding it and the deletion rule in force."""

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lotse.core.vocabulary import DataCategory
from lotse.retention.registry import ENTRIES, KINDS, Action
from lotse.retention.selectors import rules_in_force

ACTION_LABELS = {
    Action.DELETE: gettext_lazy("deleted"),
    Action.ANONYMISE: gettext_lazy("anonymised"),
    Action.KEEP: gettext_lazy("kept whole (hash chain), see the deletion concept"),
}


@dataclass(frozen=True)
class Activity:
    code: str
    label: str
    purpose: str
    legal_basis: str
    persons: str
    categories: list[str]
    recipients: str
    records: list[str]
    period: str
    start_event: str
    legal_reference: str
    action: str
    source_note: str


def _period(months: int) -> str:
    if months % 12 == 0:
        return _("%(n)s years") % {"n": months // 12}
    return _("%(n)s months") % {"n": months}


def processing_record(on: datetime.date) -> list[Activity]:
    rules = rules_in_force(on)
    labels = dict(DataCategory.choices)
    activities = []
    for kind in KINDS.values():
        rule = rules.get(kind.code)
        records = [e.label for e in ENTRIES if e.kind == kind.code]
        activities.append(Activity(
            code=kind.code, label=str(kind.label), purpose=str(kind.purpose),
            legal_basis=str(kind.legal_basis), persons=str(kind.persons),
            categories=[str(labels[c]) for c in kind.categories], recipients=str(kind.recipients),
            records=records,
            period=_period(rule.period_months) if rule else _("no rule in force"),
            start_event=rule.start_event if rule else "",
            legal_reference=rule.legal_reference if rule else "",
            action=str(ACTION_LABELS[kind.action]), source_note=rule.source_note if rule else "",
        ))
    return activities


def as_markdown(activities: list[Activity], on: datetime.date) -> str:
    heads = {
        "purpose": _("Purpose"), "basis": _("Legal basis"), "persons": _("Data subjects"),
        "categories": _("Data categories"), "recipients": _("Recipients"), "records": _("Records"),
        "erasure": _("Erasure"), "reference": _("Legal reference of the period"),
        "note": _("Reasoning and open questions"),
    }
    title = _("Record of processing activities (Art. 30 GDPR)")
    lines = [f"# {title}", "",
             _("As of %(date)s, built from the retention registry.") % {"date": on.isoformat()}, ""]
    for a in activities:
        lines += [
            f"## {a.label} (`{a.code}`)", "",
            f"- **{heads['purpose']}:** {a.purpose}",
            f"- **{heads['basis']}:** {a.legal_basis}",
            f"- **{heads['persons']}:** {a.persons}",
            f"- **{heads['categories']}:** {', '.join(a.categories) or '–'}",
            f"- **{heads['recipients']}:** {a.recipients}",
            f"- **{heads['records']}:** {', '.join(a.records)}",
            f"- **{heads['erasure']}:** {a.period} ({a.start_event}); {a.action}",
            f"- **{heads['reference']}:** {a.legal_reference}",
            f"- **{heads['note']}:** {a.source_note}", "",
        ]
    measures = _("Technical and organisational measures")
    lines += [f"## {measures}", "",
              _("Access only through the access spine (role, agency, purpose, rule or consent), "
                "every access in the hash-chained access log, encrypted transport, two-factor "
                "sign-in, daily retention sweep; see docs/security.md."), ""]
    return "\n".join(lines)
