from datetime import date

from django.contrib.auth.models import AbstractUser, BaseUserManager, Group
from django.db import models
from django.db.models.signals import m2m_changed
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

REMOVED_DISPLAY_NAME = _("Partecipante rimosso")


class Gender(models.TextChoices):
    """Optional, used only for anonymous balance statistics."""

    WOMAN = "donna", _("Donna")
    MAN = "uomo", _("Uomo")
    NON_BINARY = "non_binario", _("Non binario")
    UNDISCLOSED = "non_dichiarato", _("Preferisco non dirlo")


class Role(models.TextChoices):
    """The platform's roles, each a Django group (created by a data migration)."""

    EDITOR = "Editor", _("Redazione")
    FACILITATOR = "Facilitator", _("Facilitatore/trice")
    REVIEWER = "Reviewer", _("Valutatore/trice")
    COORDINATOR = "Programme coordinator", _("Coordinatore/trice del programma")


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


def age_on(birth_date: date, day: date) -> int:
    """Completed years on ``day``."""
    years = day.year - birth_date.year
    if (day.month, day.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years


class User(AbstractUser):
    """A person with an account. E-mail is the login; the display name is what others see."""

    username = None
    email = models.EmailField(_("indirizzo e-mail"), unique=True)
    display_name = models.CharField(
        _("nome visualizzato"),
        max_length=60,
        help_text=_("È il nome che le altre persone vedono accanto ai tuoi contributi."),
    )
    birth_date = models.DateField(_("data di nascita"), null=True, blank=True)
    comune = models.ForeignKey(
        "territory.Comune",
        verbose_name=_("comune di residenza"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="residents",
    )
    lives_outside_area = models.BooleanField(
        _("residenza fuori dalla Città metropolitana"), default=False
    )
    gender = models.CharField(_("genere"), max_length=20, choices=Gender.choices, blank=True)
    privacy_notice_version = models.CharField(
        _("versione dell'informativa accettata"), max_length=20, blank=True
    )
    privacy_accepted_at = models.DateTimeField(_("informativa accettata il"), null=True, blank=True)
    removed_at = models.DateTimeField(_("account eliminato il"), null=True, blank=True)
    language = models.CharField(
        _("lingua"),
        max_length=8,
        choices=[("it", "Italiano"), ("en", "English")],
        default="it",
        help_text=_("La lingua delle e-mail: quella in cui la persona usa il sito."),
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        verbose_name = _("utente")
        verbose_name_plural = _("utenti")

    def __str__(self) -> str:
        return self.public_name

    @property
    def is_removed(self) -> bool:
        return self.removed_at is not None

    @property
    def public_name(self) -> str:
        if self.is_removed:
            return str(REMOVED_DISPLAY_NAME)
        return self.display_name or self.email.split("@")[0]

    def age_on(self, day: date) -> int | None:
        return age_on(self.birth_date, day) if self.birth_date else None

    def has_role(self, role: Role) -> bool:
        if self.is_superuser:
            return True
        return role.value in self.role_names()

    def role_names(self) -> frozenset[str]:
        """The names of the person's groups, read once per instance (a page asks several
        times); changing the groups through ``user.groups`` forgets them (see
        ``forget_role_names``)."""
        if "_role_names" not in self.__dict__:
            self._role_names = frozenset(group.name for group in self.groups.all())
        return self._role_names

    def get_full_name(self) -> str:
        return self.public_name

    def get_short_name(self) -> str:
        return self.public_name


#: Roles that work in the Wagtail admin (page permissions come per subtree, separately).
ADMIN_ROLES = frozenset({Role.EDITOR, Role.FACILITATOR, Role.COORDINATOR})


def role_group(role: Role) -> Group:
    """The role's group, created with its admin access if missing (migration 0002 creates
    them too; a flushed test database, or a deleted group, gets them back here)."""
    group, created = Group.objects.get_or_create(name=role.value)
    if created and role in ADMIN_ROLES:
        from django.contrib.auth.models import Permission

        group.permissions.add(
            Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
        )
    return group


@receiver(m2m_changed, sender=User.groups.through)
def forget_role_names(sender, instance, **kwargs) -> None:
    """Groups added or removed: the next ``has_role`` reads them again."""
    if isinstance(instance, User):
        instance.__dict__.pop("_role_names", None)
