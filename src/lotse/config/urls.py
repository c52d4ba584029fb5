from django.urls import include, path

from lotse.api.urls import api_urlpatterns

urlpatterns = [
    path("api/v1/", include(api_urlpatterns)),
    path("", include("lotse.web.urls")),
]
