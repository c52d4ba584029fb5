"""The person's data export (Art. 15 GDPR): every record of every registry entry, as JSON.

Goes through the spine: the data-protection officer's purpose, the person identified through
the DPO's rule (logged as a read), the export itself logged with every category it carries.
Uploaded files are listed with their SHA-256 (computed from the stored file), not embedded.
"""

import datetime
import decimal
import hashlib
import uuid

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.translation import gettext as _

from lotse.access.context import AccessContext
from lotse.access.spine import access_person, log_action, refuse
from lotse.core.scoping import personal_data_scope
from lotse.core.vocabulary import CATEGORY_ORDER, DataCategory, Purpose
from lotse.organisations import permissions
from lotse.retention.registry import KINDS, Entry, person_entries

FORMAT = "lotse-subject-export/1"


def _value(value):
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    return value


def _sha256(name: str) -> str | None:
    try:
        with default_storage.open(name, "rb") as handle:
            digest = hashlib.sha256()
            for chunk in iter(lambda: handle.read(1 << 16), b""):
                digest.update(chunk)
            return digest.hexdigest()
    except OSError:
        return None  # listed as missing: the record says a file existed


def _rows(entry: Entry, person_id: int) -> list[dict]:
    fields = entry.export_fields
    rows = []
    queryset = entry.model._default_manager.filter(**{entry.person_path: person_id}).distinct()
    for record in queryset.order_by("pk"):
        rows.append({name: _value(getattr(record, name)) for name in fields})
    return rows


def subject_export(ctx: AccessContext, person_id: int) -> dict:
    """Raises AccessDenied (logged) without the permission, PersonNotFound when the person is
    unknown or outside the DPO's district."""
    if not ctx.has_permission(permissions.RETENTION_MANAGE):
        refuse(ctx, "person.subject_export.refused", person_id=person_id,
               reason=f"permission:{permissions.RETENTION_MANAGE}",
               message=_("You may not export a person's data."))
    access_person(ctx, person_id, Purpose.DATA_PROTECTION, categories=[DataCategory.IDENTITY],
                  action="person.subject_export")
    records: dict[str, list[dict]] = {}
    files: list[dict] = []
    with personal_data_scope():
        for entry in person_entries():
            rows = _rows(entry, person_id)
            if not rows:
                continue
            records[entry.model_label] = rows
            for row in rows:
                for name in entry.files:
                    if row.get(name):
                        files.append({"record": f"{entry.model_label}:{row['id']}", "field": name,
                                      "name": row[name], "sha256": _sha256(row[name])})
    kinds = sorted({e.kind for e in person_entries() if e.model_label in records})
    categories = [c for c in CATEGORY_ORDER if any(c in KINDS[k].categories for k in kinds)]
    with transaction.atomic():
        log_action(ctx, "person.subject_exported", person_id=person_id, categories=categories,
                   purpose=Purpose.DATA_PROTECTION,
                   basis=f"records={sum(len(r) for r in records.values())};files={len(files)}",
                   object_ref=f"person:{person_id}")
    return {
        "format": FORMAT, "person_id": person_id,
        "created": timezone.now().astimezone(datetime.UTC).isoformat(timespec="seconds"),
        "data_kinds": {k: str(KINDS[k].label) for k in kinds},
        "records": records, "files": files,
    }
