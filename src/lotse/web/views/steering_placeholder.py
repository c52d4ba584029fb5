"""Temporary: pages of the steering area still being built (removed when they land)."""

from django.http import Http404


def not_yet(request, **kwargs):
    raise Http404
