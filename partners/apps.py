from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = "Partenaires"
    default = True

    def ready(self):
        from partners import security

        security.connect_signals()


class SecureAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "partners.admin_site.SecureAdminSite"
