"""Safety net for personal models: their default manager refuses to query outside a scope.

Only the access spine (`lotse.access`) opens a scope, after the policy has decided and the
access has been logged. Code that reaches for `Person.objects` anywhere else fails loudly
instead of leaking data (compare pretix's use of django-scopes).
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import models

_scope_depth: ContextVar[int] = ContextVar("lotse_personal_scope_depth", default=0)


class UnscopedAccessError(RuntimeError):
    """Raised when a personal model is queried without going through the access spine."""


@contextmanager
def personal_data_scope() -> Iterator[None]:
    token = _scope_depth.set(_scope_depth.get() + 1)
    try:
        yield
    finally:
        _scope_depth.reset(token)


def scope_is_open() -> bool:
    return _scope_depth.get() > 0


class ScopedManager(models.Manager):
    """Default manager of every personal model. Base manager stays plain for Django internals."""

    def get_queryset(self) -> models.QuerySet:
        if not scope_is_open():
            raise UnscopedAccessError(
                f"{self.model.__name__} is personal data: read it through lotse.access "
                "(access_person / persons_visible_to), not through the model manager."
            )
        return super().get_queryset()


class PersonalModel(models.Model):
    """Personal data: the default manager refuses queries outside the spine's scope."""

    objects = ScopedManager()
    _plain = models.Manager()

    class Meta:
        abstract = True
        base_manager_name = "_plain"
