"""Recording and revoking consent. A revocation stops the very next access."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lotse.access.context import AccessContext
from lotse.access.spine import PersonNotFound, access_person_for_write, log_action
from lotse.audit.chain import lock_chain
from lotse.consent.models import Consent, ConsentMethod
from lotse.consent.queries import concerns_agency_q
from lotse.core.scoping import personal_data_scope
from lotse.core.uploads import check_upload
from lotse.core.vocabulary import DataCategory, Purpose, categories_to_mask
from lotse.organisations import permissions
from lotse.organisations.models import Agency


def validate_scan(upload, max_bytes: int) -> str:
    """Check a scan's size and real type (magic bytes); return its SHA-256."""
    return check_upload(upload, max_bytes, field="evidence").sha256


def consent_record(
    *, ctx: AccessContext, person_id: int, categories: list[str], purpose: str,
    to_agency_id: int | None, to_kind: str = "", from_agency_id: int | None = None,
    from_kind: str = "", given_on: datetime.date, valid_from: datetime.date | None = None,
    valid_until: datetime.date | None, method: str, informed_language: str,
    given_by_guardian: bool = False, evidence=None, max_upload_bytes: int = 10 * 1024 * 1024,
) -> Consent:
    # Any basis that shows the person suffices: people sign consents at whichever office they
    # meet. The check commits its log rows on its own, so refusals stay logged.
    access_person_for_write(ctx, person_id, "consent.record", permission=permissions.CONSENT_RECORD,
                            purpose=purpose, own_file=False)
    errors = {}
    if not categories or set(categories) - set(DataCategory.values):
        errors["categories"] = _("Choose at least one data category.")
    if purpose not in Purpose.values:
        errors["purpose"] = _("Choose a purpose.")
    if not (to_agency_id or to_kind):
        errors["to_agency"] = _("Name the agency that may receive the data.")
    if not (from_agency_id or from_kind):
        errors["from_agency"] = _("Name the agency whose data may be passed on.")
    if method == ConsentMethod.UPLOADED_SCAN and not evidence:
        errors["evidence"] = _("Upload the scan of the signed form.")
    if given_on > ctx.today:
        errors["given_on"] = _("A consent cannot be given in the future.")
    for field_name, agency_id in (("to_agency", to_agency_id), ("from_agency", from_agency_id)):
        if agency_id and not Agency.objects.filter(pk=agency_id, district_id=ctx.district_id).exists():
            errors[field_name] = _("Unknown agency.")
    if errors:
        raise ValidationError(errors)
    # Checked (and virus-scanned) before the transaction: no write lock is held while the
    # scanner answers.
    evidence_sha256 = validate_scan(evidence, max_upload_bytes) if evidence is not None else ""
    with transaction.atomic(), personal_data_scope():
        consent = Consent(
            person_id=person_id, categories_mask=categories_to_mask(categories),
            purpose=purpose, to_agency_id=to_agency_id, to_kind=to_kind if not to_agency_id else "",
            from_agency_id=from_agency_id, from_kind=from_kind if not from_agency_id else "",
            given_on=given_on, valid_from=valid_from or given_on, valid_until=valid_until,
            method=method, informed_language=informed_language,
            given_by_guardian=given_by_guardian, recorded_by_id=ctx.user_id,
            recorded_by_agency_id=ctx.agency_id,
        )
        if evidence is not None:
            consent.evidence_sha256 = evidence_sha256
            consent.evidence = evidence
        consent.full_clean()
        consent.save()
        log_action(ctx, "consent.recorded", person_id=person_id, categories=categories,
                   purpose=purpose, object_ref=f"consent:{consent.pk}")
    return consent


def consent_revoke(
    *, ctx: AccessContext, consent_id: int, note: str = "", person_id: int | None = None
) -> Consent:
    """Record a revocation. It applies from the very next access: the spine reads consents
    afresh, and the chain lock orders this write against concurrent reads."""
    with personal_data_scope():
        consent = Consent.objects.filter(concerns_agency_q(ctx), pk=consent_id).first()
    if consent is None or (person_id is not None and consent.person_id != person_id):
        raise PersonNotFound(consent_id)
    access_person_for_write(ctx, consent.person_id, "consent.revoke",
                            permission=permissions.CONSENT_REVOKE, purpose=consent.purpose,
                            own_file=False)
    with transaction.atomic():
        lock_chain()
        with personal_data_scope():
            consent = Consent.objects.select_for_update().get(pk=consent_id)
            if consent.revoked_at is not None:
                raise ValidationError(_("This consent has already been revoked."))
            consent.revoked_at = timezone.now()
            consent.revoked_by_id = ctx.user_id
            consent.revocation_note = note[:300]
            consent.save(update_fields=["revoked_at", "revoked_by", "revocation_note"])
        log_action(ctx, "consent.revoked", person_id=consent.person_id,
                   categories=consent.categories, purpose=consent.purpose,
                   object_ref=f"consent:{consent.pk}")
    return consent
