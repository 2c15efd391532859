"""The Celery application. Tasks are autodiscovered in each app's ``tasks.py``.

Embedded default: tasks run eagerly in the web process (``CELERY_TASK_ALWAYS_EAGER``).
With ``REDIS_URL`` they go through Redis to ``celery -A config worker``; periodic tasks are
declared in the settings (``CELERY_BEAT_SCHEDULE``) and run by ``celery -A config beat``.
Without ``DJANGO_SETTINGS_MODULE`` the production settings are used, as in ``asgi.py``.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

app = Celery("psm_giovani")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
