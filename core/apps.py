from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.urls import register_converter

from core.converters import RowIdConverter, YearConverter


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Socle commun"

    def ready(self) -> None:
        from core.search import register_sqlite_functions

        connection_created.connect(register_sqlite_functions, dispatch_uid="core.search")
        register_converter(RowIdConverter, "id")
        register_converter(YearConverter, "year")
