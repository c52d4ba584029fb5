"""Events of the person registry that other domains react to, inside the same transaction.

`residence_status_recorded` fires after a residence status was saved and logged; the handover
domain listens and opens a change of benefits regime when the rule data says so."""

import django.dispatch

# kwargs: ctx (AccessContext of the recording user), status (ResidenceStatus)
residence_status_recorded = django.dispatch.Signal()
