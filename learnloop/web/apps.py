from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "learnloop.web"
    label = "web"
