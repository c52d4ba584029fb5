"""The handover checklist: what has to happen, who does it, and from which date its deadline
counts. Owners are roles in the handover ("from": the office paying until the change, "to": the
office paying after it, "abh": the foreigners' authority); deadlines are `rules.DeadlineRule`
keys, counted from an anchor of the handover. The reverse direction uses the same list with
the roles swapped by the handover itself."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class ItemSpec:
    key: str
    label: str
    owner: str  # "from" | "to" | "abh"
    deadline_rule: str
    anchor: str  # "trigger" | "new_start" | "application_due" | "old_end"
    records_date: bool = False  # the item records a date (application filed, first payment …)


CHECKLIST: tuple[ItemSpec, ...] = (
    ItemSpec("consent", _("Consent to pass the data on to the next office"), "from",
             "handover-consent", "trigger"),
    ItemSpec("residence_document", _("Residence document: provisional certificate or eAT appointment"),
             "abh", "handover-residence-document", "trigger"),
    ItemSpec("doc_identity", _("Document: identity (passport or substitute)"), "to",
             "handover-documents", "application_due"),
    ItemSpec("doc_bamf", _("Document: BAMF decision"), "to", "handover-documents", "application_due"),
    ItemSpec("doc_tenancy", _("Document: tenancy agreement and rent"), "to", "handover-documents",
             "application_due"),
    ItemSpec("doc_bank", _("Document: bank account (IBAN)"), "to", "handover-documents",
             "application_due"),
    ItemSpec("doc_insurance", _("Document: health insurance membership"), "to", "handover-documents",
             "application_due"),
    ItemSpec("doc_household", _("Document: household members"), "to", "handover-documents",
             "application_due"),
    ItemSpec("doc_income", _("Document: income"), "to", "handover-documents", "application_due"),
    ItemSpec("application", _("Application filed with the next office"), "to",
             "handover-application", "new_start", records_date=True),
    ItemSpec("confirmation", _("Next office confirms the entitlement"), "to", "handover-confirmation",
             "new_start", records_date=True),
    ItemSpec("first_payment", _("First payment by the next office"), "to", "handover-first-payment",
             "new_start", records_date=True),
    ItemSpec("last_payment", _("Last payment by the previous office"), "from", "handover-first-payment",
             "old_end", records_date=True),
)

BY_KEY = {item.key: item for item in CHECKLIST}
