"""URL patterns of the JSON API, included by `lotse.config.urls` under `api/v1/`."""

from django.urls import path

from lotse.api.api import api

api_urlpatterns = [path("", api.urls)]
