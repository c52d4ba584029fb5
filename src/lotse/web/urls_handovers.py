"""URLs of handovers."""

urlpatterns: list = []
