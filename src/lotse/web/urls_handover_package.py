"""URLs of handover_package."""

urlpatterns: list = []
