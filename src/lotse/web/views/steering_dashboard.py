"""Steering dashboard and anonymous export (being built)."""

from django.http import Http404


def dashboard_view(request):
    raise Http404


def export_csv_view(request):
    raise Http404


def export_pdf_view(request):
    raise Http404
