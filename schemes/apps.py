from django.apps import AppConfig


class SchemesConfig(AppConfig):
    name = "schemes"
    verbose_name = "Schemes, staff and people we support"
