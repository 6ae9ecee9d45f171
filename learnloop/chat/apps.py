from django.apps import AppConfig


class ChatConfig(AppConfig):
    name = "learnloop.chat"
    label = "chat"
