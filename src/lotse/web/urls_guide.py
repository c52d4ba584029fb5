"""URLs of the public newcomers' guide (no login) and its open data."""

from django.urls import path

from lotse.web.views import guide_open_data, guide_public

urlpatterns = [
    path("wegweiser/", guide_public.guide_root_view, name="guide-root"),
    path("wegweiser/<slug:district>/", guide_public.guide_district_view, name="guide-district"),
    path("wegweiser/<slug:district>/<str:lang>/", guide_public.guide_home_view, name="guide-home"),
    path("wegweiser/<slug:district>/<str:lang>/zustaendig/", guide_public.guide_responsible_view,
         name="guide-responsible"),
    path("wegweiser/<slug:district>/<str:lang>/verzeichnis/", guide_public.guide_directory_view,
         name="guide-directory"),
    path("wegweiser/<slug:district>/<str:lang>/info/<slug:slug>/", guide_public.guide_text_view, name="guide-text"),
    path("wegweiser/<slug:district>/<str:lang>/willkommensblatt/<int:municipality_id>.pdf",
         guide_public.guide_welcome_sheet_view, name="guide-welcome-sheet"),
    path("open-data/<slug:district>/guide/directory.json", guide_open_data.directory_json_view,
         name="guide-open-directory"),
    path("open-data/<slug:district>/guide/responsibilities.json", guide_open_data.responsibilities_json_view,
         name="guide-open-responsibilities"),
]
