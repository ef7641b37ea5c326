from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "Dossiers"

    def ready(self) -> None:
        from cases.wiring import connect  # models are loaded only now

        connect()
