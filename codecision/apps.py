from django.apps import AppConfig


class CodecisionConfig(AppConfig):
    name = "codecision"
    verbose_name = "Co-décisions"
