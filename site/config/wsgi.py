import os
import sys
from pathlib import Path

_SITE_DIR = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(_SITE_DIR))
sys.path.insert(1, str(_SITE_DIR.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

from django.core.wsgi import get_wsgi_application  # noqa: E402

django_application = get_wsgi_application()

from consultations.quick.app import QuickPath  # noqa: E402 - needs Django set up
from conversations.quick_vote import StatementVoteHandler  # noqa: E402
from proposals.quick_support import SupportHandler  # noqa: E402

# Supports and votes on statements sent with htmx take a quick path in front of Django when
# they can be accepted as they are; everything else reaches Django unchanged
# (consultations/quick/).
application = QuickPath(django_application, [SupportHandler(), StatementVoteHandler()])
