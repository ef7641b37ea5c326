from django.apps import AppConfig


class CodecisionConfig(AppConfig):
    name = "codecision"
    verbose_name = "Co-décisions"

    def ready(self) -> None:
        from codecision.wiring import connect  # models are loaded only now

        connect()
