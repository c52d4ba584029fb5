"""URLs of the content management of the newcomers' guide (`guide:manage`, `guide:translate`),
mounted under staff/guide/."""

from django.urls import path

from lotse.web.views import guide_manage as views

urlpatterns: list = [
    path("", views.overview_view, name="guide-manage"),
    path("offices/", views.office_list_view, name="guide-offices"),
    path("offices/<id:agency_id>/", views.office_edit_view, name="guide-office-edit"),
    path("counsellors/", views.counsellor_list_view, name="guide-counsellors"),
    path("counsellors/new/", views.counsellor_edit_view, name="guide-counsellor-create"),
    path("counsellors/<id:counsellor_id>/", views.counsellor_edit_view, name="guide-counsellor-edit"),
    path("counsellors/<id:counsellor_id>/deactivate/", views.counsellor_deactivate_view,
         name="guide-counsellor-deactivate"),
    path("texts/", views.text_list_view, name="guide-texts"),
    path("texts/new/", views.text_edit_view, name="guide-text-create"),
    path("texts/<id:text_id>/", views.text_edit_view, name="guide-text-edit"),
    path("translations/", views.translation_work_view, name="guide-translations"),
    path("translations/<str:key>/", views.entry_translations_view, name="guide-entry-translations"),
    path("translations/<str:key>/<slug:language>/", views.translation_edit_view, name="guide-translation-edit"),
    path("translators/", views.translator_list_view, name="guide-translators"),
    path("translators/<id:user_id>/", views.translator_edit_view, name="guide-translator-edit"),
]
