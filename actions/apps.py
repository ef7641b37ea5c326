from django.apps import AppConfig


class ActionsConfig(AppConfig):
    name = "actions"
    verbose_name = "Actions et mesures"

    def ready(self) -> None:
        from actions.wiring import connect  # models are loaded only now

        connect()
