import logging

from celery import shared_task
from django.core.cache import cache
from django.utils import timezone

logger = logging.getLogger(__name__)


@shared_task(name="config.tasks.heartbeat")
def heartbeat() -> str:
    """Record that beat and a worker are alive; /healthz reports the last beat."""
    now = timezone.now().isoformat()
    cache.set("platform:celery-heartbeat", now, timeout=None)
    return now
