from django.apps import AppConfig


class CarersConfig(AppConfig):
    name = "carers"
