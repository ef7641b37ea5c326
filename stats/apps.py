from django.apps import AppConfig


class StatsConfig(AppConfig):
    """The programme's statistics: indicators, the statistics page, the annual report.

    Named `stats`: a top-level `statistics` package would hide Python's own module of that
    name (which Django's SQLite backend imports)."""

    name = "stats"
    verbose_name = "Statistiques"
    default_auto_field = "django.db.models.BigAutoField"
