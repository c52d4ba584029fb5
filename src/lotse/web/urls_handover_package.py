"""URLs of the handover data package and the social offices' read-only residence view."""

from django.urls import path

from lotse.web.views import handover_package, residence_overview

urlpatterns = [
    path("handovers/<id:handover_id>/package/", handover_package.handover_package_view,
         name="handover-package"),
    path("handovers/<id:handover_id>/package.pdf", handover_package.handover_package_pdf_view,
         name="handover-package-pdf"),
    path("handovers/<id:handover_id>/package.json", handover_package.handover_package_json_view,
         name="handover-package-json"),
    path("residence/", residence_overview.residence_overview_view, name="residence-overview"),
    path("residence/<id:person_id>/", residence_overview.residence_person_view,
         name="residence-person"),
]
