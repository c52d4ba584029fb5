"""The retention sweep as a background task (django-tasks), e.g. started from the staff UI or
by a scheduler that enqueues instead of running the command."""

import datetime

from django_tasks import task

from lotse.retention.sweep import run_sweep


@task()
def retention_sweep_task(today: str | None = None, dry_run: bool = False) -> dict:
    day = datetime.date.fromisoformat(today) if today else None
    return run_sweep(day, dry_run=dry_run).as_dict()
