"""Background verification of the access log, with progress for the UI."""

from django_tasks import task

from lotse.audit.models import AccessEvent
from lotse.audit.verification import verify_chain
from lotse.core.progress import progress_finish, progress_start, progress_update


@task()
def verify_audit_task(progress_id: int) -> dict:
    progress_start(progress_id, AccessEvent.objects.count())
    try:
        result = verify_chain(progress=lambda n: progress_update(progress_id, n))
    except Exception as exc:  # reported to the user, not swallowed
        progress_finish(progress_id, {"ok": False, "problem": str(exc)}, failed=True)
        raise
    progress_update(progress_id, result.entries)
    summary = {
        "ok": result.ok, "entries": result.entries, "checkpoints": result.checkpoints,
        "first_broken_seq": result.first_broken_seq, "problem": result.problem,
    }
    progress_finish(progress_id, summary)
    return summary
