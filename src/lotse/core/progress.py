"""Report progress from a background task (each update is its own small write)."""

from lotse.core.models import TaskProgress


def progress_start(progress_id: int, total: int) -> None:
    TaskProgress.objects.filter(pk=progress_id).update(state=TaskProgress.State.RUNNING, total=total, done=0)


def progress_update(progress_id: int, done: int) -> None:
    TaskProgress.objects.filter(pk=progress_id).update(done=done)


def progress_finish(progress_id: int, result: dict, failed: bool = False) -> None:
    state = TaskProgress.State.FAILED if failed else TaskProgress.State.DONE
    TaskProgress.objects.filter(pk=progress_id).update(state=state, result=result)
