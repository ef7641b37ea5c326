"""The REST API under /api/ (issue 7): one router over each app's api.py."""

urlpatterns: list = []
