from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    name = "learnloop.incidents"
    label = "incidents"
