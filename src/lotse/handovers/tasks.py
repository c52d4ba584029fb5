"""Background tasks of the handovers: the bulk change of benefits regime for a whole group,
with progress for the UI (`core.TaskProgress`). The work itself lives in `handovers.bulk`."""

from django_tasks import task

from lotse.handovers.bulk import bulk_run_execute


@task()
def bulk_change_task(run_id: int) -> dict:
    run = bulk_run_execute(run_id)
    return {"run": run.pk, "status": run.status, "created": run.created, "skipped": run.skipped}
