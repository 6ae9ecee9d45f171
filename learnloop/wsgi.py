"""The WSGI application. `learnloop serve` loads it once in gunicorn's master (``--preload``),
warmed (learnloop/core/warmup.py, decision 0131), before the workers are forked."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "learnloop.settings")
application = get_wsgi_application()

from learnloop.core.warmup import warm_up  # noqa: E402 - needs the apps loaded above

warm_up()
