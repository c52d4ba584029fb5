"""Events of the person registry that other domains react to, inside the same transaction.

`residence_status_recorded` fires after a residence status was saved and logged; the handover
domain listens and opens a change of benefits regime when the rule data says so."""

import django.dispatch

# kwargs: ctx (AccessContext of the recording user), status (ResidenceStatus), bulk (True when a
# whole register is imported: a listener may then work once at the end instead, see
# appointments.permit_import)
residence_status_recorded = django.dispatch.Signal()

# kwargs: ctx, keep_id, merge_id — sent inside the merge's transaction, after the registry's
# own rows moved; domains holding rows of the merged-away person move theirs.
person_merged = django.dispatch.Signal()
