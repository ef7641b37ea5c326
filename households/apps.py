from django.apps import AppConfig


class HouseholdsConfig(AppConfig):
    name = "households"
    verbose_name = "Ménages"

    def ready(self) -> None:
        from households.wiring import connect  # models are loaded only now

        connect()
