import os
import sys
from pathlib import Path

_SITE_DIR = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(_SITE_DIR))
sys.path.insert(1, str(_SITE_DIR.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

from django.core.wsgi import get_wsgi_application  # noqa: E402

application = get_wsgi_application()
