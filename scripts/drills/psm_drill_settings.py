"""Settings of the worker-outage drill: the bench settings, with e-mail sent over SMTP.

The bench settings keep e-mail in memory; this drill needs the messages to leave the Celery
worker for a real SMTP server (the drill's own sink on 127.0.0.1), named by ``EMAIL_URL`` and
read exactly as ``config.settings.base`` reads it. Selected with
``DJANGO_SETTINGS_MODULE=psm_drill_settings`` and ``scripts/drills`` on ``PYTHONPATH``.
"""

from config.settings.bench import *  # noqa: F403
from config.settings.bench import env

globals().update(env.email_url("EMAIL_URL"))
