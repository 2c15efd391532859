"""Periodic tasks are declared in the settings alone, by task path, and each path imports."""

import importlib

from django.conf import settings

EXPECTED_TASKS = {
    "config.tasks.heartbeat",
    "consultations.tasks.announce_started_phases",
    "notifications.tasks.resend_stuck_deliveries",
    "notifications.tasks.send_weekly_digests",
    "proposals.tasks.sweep_orphan_images",
    "leadership.tasks.expire_offers",
    "leadership.tasks.send_session_reminders",
    "leadership.tasks.send_review_reminders",
    "conversations.tasks.recompute_stale_conversations",
    "workshops.tasks.end_overdue_sessions",
    "staffhome.tasks.send_facilitator_digests",
    "contests.tasks.send_contest_notices",
}


def test_schedule_names_every_periodic_task():
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert tasks == EXPECTED_TASKS


def test_every_scheduled_task_path_imports_to_a_celery_task():
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        module_path, name = entry["task"].rsplit(".", 1)
        task = getattr(importlib.import_module(module_path), name)
        assert task.name == entry["task"]


def test_celery_app_reads_the_schedule_from_the_settings():
    from config.celery import app

    assert app.conf.beat_schedule == settings.CELERY_BEAT_SCHEDULE
