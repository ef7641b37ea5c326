from django.apps import AppConfig


class FundingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "funding"

    def ready(self) -> None:
        from funding.wiring import connect  # models are loaded only now

        connect()
