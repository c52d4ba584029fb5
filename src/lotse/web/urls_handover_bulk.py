"""URLs of handover_bulk."""

urlpatterns: list = []
