"""The Celery application. Tasks are autodiscovered in each app's ``tasks.py``.

Embedded default: tasks run eagerly in the web process (``CELERY_TASK_ALWAYS_EAGER``).
With ``REDIS_URL`` they go through Redis to ``celery -A config worker``; periodic tasks
are declared here in code and run by ``celery -A config beat``.
"""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

app = Celery("psm_giovani")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Periodic tasks, declared in code. Each entry names a task that an app defines in tasks.py.
app.conf.beat_schedule = {
    "platform-heartbeat": {
        "task": "config.tasks.heartbeat",
        "schedule": crontab(minute="*/5"),
    },
    # Followers hear about a consultation's new phase once (Phase.announced_at).
    "consultations-announce-phases": {
        "task": "consultations.tasks.announce_started_phases",
        "schedule": crontab(minute="*/10"),
    },
    # E-mails left pending (lost retry, worker restart) are queued again; never sent twice.
    "notifications-resend-stuck": {
        "task": "notifications.tasks.resend_stuck_deliveries",
        "schedule": crontab(minute="*/15"),
    },
    # Opt-in weekly digest of unread notifications, Monday morning (Europe/Rome).
    "notifications-weekly-digest": {
        "task": "notifications.tasks.send_weekly_digests",
        "schedule": crontab(minute=0, hour=9, day_of_week="mon"),
    },
}


def register_periodic(name: str, task: str, schedule) -> None:
    """Declare a periodic task (apps call this from their AppConfig.ready)."""
    app.conf.beat_schedule[name] = {"task": task, "schedule": schedule}
