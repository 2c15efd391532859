"""The settings switch on environment variables alone; production refuses to start half-configured."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROBE = (
    "import django, json; django.setup(); from django.conf import settings as s; "
    "print(json.dumps({'db': s.DATABASES['default']['ENGINE'], 'cache': s.CACHES['default']['BACKEND'],"
    " 'layer': s.CHANNEL_LAYERS['default']['BACKEND'], 'eager': s.CELERY_TASK_ALWAYS_EAGER,"
    " 'broker': s.CELERY_BROKER_URL, 'email': s.EMAIL_BACKEND, 'debug': s.DEBUG}))"
)
CLEAN_ENV_KEYS = ("DATABASE_URL", "REDIS_URL", "EMAIL_URL", "SECRET_KEY", "ALLOWED_HOSTS")


def _run(settings_module: str, **env) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if k not in CLEAN_ENV_KEYS}
    base.update(
        DJANGO_SETTINGS_MODULE=settings_module,
        PYTHONPATH=f"{ROOT / 'site'}:{ROOT}",
        **env,
    )
    return subprocess.run(
        [sys.executable, "-c", PROBE], env=base, capture_output=True, text=True, cwd=ROOT
    )


def _probe(settings_module: str, **env) -> dict:
    import json

    result = _run(settings_module, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_no_environment_means_embedded_default():
    config = _probe("config.settings.local")
    assert config["db"] == "django.db.backends.sqlite3"
    assert config["cache"] == "django.core.cache.backends.locmem.LocMemCache"
    assert config["layer"] == "realtime.layers.InMemoryChannelLayer"
    assert config["eager"] is True
    assert config["email"] == "django.core.mail.backends.console.EmailBackend"


def test_environment_switches_to_postgres_redis_and_smtp():
    config = _probe(
        "config.settings.local",
        DATABASE_URL="postgres://u:p@db.example:5432/psm",
        REDIS_URL="redis://cache.example:6379/1",
        EMAIL_URL="smtp+tls://mailer:secret@smtp.example:587",
    )
    assert config["db"] == "django.db.backends.postgresql"
    assert config["cache"] == "config.cache.ResilientRedisCache"
    assert config["layer"] == "channels_redis.pubsub.RedisPubSubChannelLayer"
    assert config["eager"] is False
    assert config["broker"] == "redis://cache.example:6379/1"
    assert config["email"] == "django.core.mail.backends.smtp.EmailBackend"


@pytest.mark.parametrize("missing", ["SECRET_KEY", "DATABASE_URL", "REDIS_URL", "ALLOWED_HOSTS"])
def test_production_refuses_to_start_without_required_variables(missing):
    env = {
        "SECRET_KEY": "x" * 60,
        "DATABASE_URL": "postgres://u:p@db.example:5432/psm",
        "REDIS_URL": "redis://cache.example:6379/1",
        "ALLOWED_HOSTS": "psm.example.org",
    }
    del env[missing]
    result = _run("config.settings.production", **env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert missing in result.stderr


def test_production_passes_check_deploy():
    env = {k: v for k, v in os.environ.items() if k not in CLEAN_ENV_KEYS}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY="k7#Qz!v9Lp2@Xw4$Rt6^Yb8&Nm1*Hc3(Jd5)Fg0-Sa+Ue=Oi~Pk;Wl:Zx,Cv.Bn/Mq",
        DATABASE_URL="postgres://u:p@db.example:5432/psm",
        REDIS_URL="redis://cache.example:6379/1",
        ALLOWED_HOSTS="psm.example.org",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_demo_data():
    config_env = {
        "SECRET_KEY": "k7#Qz!v9Lp2@Xw4$Rt6^Yb8&Nm1*Hc3(Jd5)Fg0-Sa+Ue=Oi~Pk;Wl:Zx,Cv.Bn/Mq",
        "DATABASE_URL": "sqlite:////tmp/psm-never-created.sqlite3",
        "REDIS_URL": "redis://cache.example:6379/1",
        "ALLOWED_HOSTS": "psm.example.org",
    }
    env = {k: v for k, v in os.environ.items() if k not in CLEAN_ENV_KEYS}
    env.update(DJANGO_SETTINGS_MODULE="config.settings.production", **config_env)
    result = subprocess.run(
        [sys.executable, "manage.py", "load_demo"],
        env=env,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode != 0
    assert "produzione" in result.stderr


def test_base_settings_are_safe_by_default():
    """DEBUG off, no SECRET_KEY of their own (Django refuses to use an empty one), no demo data."""
    probe = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "from config.settings import base; "
        "print(json.dumps({'debug': s.DEBUG, 'demo': s.DEMO_DATA_ALLOWED, "
        "'has_key': hasattr(base, 'SECRET_KEY')})); s.SECRET_KEY"
    )
    env = {k: v for k, v in os.environ.items() if k not in (*CLEAN_ENV_KEYS, "DJANGO_DEBUG")}
    env.update(DJANGO_SETTINGS_MODULE="config.settings.base", PYTHONPATH=f"{ROOT / 'site'}:{ROOT}")
    result = subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True, cwd=ROOT
    )
    import json

    assert json.loads(result.stdout.strip().splitlines()[-1]) == {
        "debug": False,
        "demo": False,
        "has_key": False,
    }
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_local_settings_are_for_development():
    config = _probe("config.settings.local")
    assert config["debug"] is True


@pytest.mark.parametrize("entry_point", ["config/wsgi.py", "config/asgi.py", "config/celery.py"])
def test_servers_default_to_production_settings(entry_point):
    source = (ROOT / "site" / entry_point).read_text()
    assert 'os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")' in source


def test_asgi_without_settings_module_refuses_to_start_half_configured():
    env = {
        k: v for k, v in os.environ.items() if k not in (*CLEAN_ENV_KEYS, "DJANGO_SETTINGS_MODULE")
    }
    env["PYTHONPATH"] = f"{ROOT / 'site'}:{ROOT}"
    result = subprocess.run(
        [sys.executable, "-c", "import config.asgi"],
        env=env,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode != 0
    assert "Production settings need these environment variables" in result.stderr


def test_manage_py_selects_local_settings():
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE",)}
    result = subprocess.run(
        [sys.executable, "manage.py", "diffsettings", "--all"],
        env=env,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    assert "SETTINGS_MODULE = 'config.settings.local'" in result.stdout
