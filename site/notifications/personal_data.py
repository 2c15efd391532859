"""What notifications hold about a person (see ``accounts.personal_data``): all of it goes
with the account."""

from accounts.personal_data import PersonalData, delete
from notifications.models import EmailDelivery, Notification, NotificationPreference

PERSONAL_DATA = (
    PersonalData(
        Notification,
        "user",
        name="notifications",
        holds="notifiche ricevute, con titolo e testo",
        personal=("title", "body", "url"),
        export=("kind", "title", "body", "url", "created_at", "read_at"),
        erase=delete(),
    ),
    PersonalData(
        EmailDelivery,
        "user",
        name="email_deliveries",
        holds="e-mail inviate, con oggetto e testo",
        personal=("subject", "body", "last_error"),
        export=("subject", "body", "transactional", "status", "created_at", "sent_at"),
        erase=delete(),
    ),
    PersonalData(
        NotificationPreference,
        "user",
        name="preferences",
        holds="preferenze sulle e-mail",
        export=(
            "email_enabled",
            "weekly_digest",
            "facilitator_digest",
            "unsubscribed_at",
            "updated_at",
        ),
        erase=delete(),
    ),
)
