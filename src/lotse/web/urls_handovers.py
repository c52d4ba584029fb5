"""URLs of handovers (change of benefits regime)."""

from django.urls import path

from lotse.web.views import handovers

urlpatterns: list = [
    path("handovers/", handovers.handover_list_view, name="handovers"),
    path("handovers/overview/", handovers.handover_overview_view, name="handover-overview"),
    path("handovers/<id:handover_id>/", handovers.handover_detail_view, name="handover-detail"),
    path("handovers/<id:handover_id>/complete/", handovers.handover_complete_view, name="handover-complete"),
    path("handovers/<id:handover_id>/cancel/", handovers.handover_cancel_view, name="handover-cancel"),
    path("handovers/<id:handover_id>/regime/", handovers.handover_regime_view, name="handover-regime"),
    path("handovers/items/<id:item_id>/", handovers.handover_item_view, name="handover-item"),
]
