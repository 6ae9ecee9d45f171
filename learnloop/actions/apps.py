from django.apps import AppConfig


class ActionsConfig(AppConfig):
    name = "learnloop.actions"
    label = "actions"
