from datetime import date

from django.contrib.auth.models import AbstractUser, BaseUserManager, Group
from django.db import models
from django.db.models.signals import m2m_changed
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from accounts.names import validate_person_name

REMOVED_DISPLAY_NAME = _("Partecipante rimosso")


class Gender(models.TextChoices):
    """Optional, used only for anonymous balance statistics."""

    WOMAN = "donna", _("Donna")
    MAN = "uomo", _("Uomo")
    NON_BINARY = "non_binario", _("Non binario")
    UNDISCLOSED = "non_dichiarato", _("Preferisco non dirlo")


class IdentityProvider(models.TextChoices):
    """The public digital identities a person can sign in with (``accounts.spid``)."""

    SPID = "spid", _("SPID")
    CIE = "cie", _("CIE (carta d'identità elettronica)")


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
        validators=[validate_person_name],
    )
    # AbstractUser's fields with the same check (the Wagtail admin edits them).
    first_name = models.CharField(
        _("first name"), max_length=150, blank=True, validators=[validate_person_name]
    )
    last_name = models.CharField(
        _("last name"), max_length=150, blank=True, validators=[validate_person_name]
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
    # Verified identity (SPID or CIE): set only by ``accounts.identity.identity_sign_in``.
    fiscal_number_hash = models.CharField(
        _("codice fiscale (impronta)"),
        max_length=64,
        unique=True,
        null=True,
        blank=True,
        editable=False,
        help_text=_(
            "HMAC-SHA256 del codice fiscale con la chiave FISCAL_NUMBER_HMAC_KEY: il codice "
            "in chiaro non viene conservato."
        ),
    )
    identity_provider = models.CharField(
        _("identità digitale"), max_length=4, choices=IdentityProvider.choices, blank=True
    )
    identity_issuer = models.CharField(
        _("gestore dell'identità"),
        max_length=255,
        blank=True,
        help_text=_("L'entity ID SAML del gestore che ha verificato l'identità."),
    )
    identity_verified_at = models.DateTimeField(
        _("identità verificata il"), null=True, blank=True, editable=False
    )
    # Residence confirmed by an official (``accounts.identity.residence_confirm``): it holds
    # only while the declared comune is the confirmed one (``residence_confirmed``).
    residence_confirmed_comune = models.ForeignKey(
        "territory.Comune",
        verbose_name=_("comune di residenza confermato"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )
    residence_confirmed_at = models.DateTimeField(
        _("residenza confermata il"), null=True, blank=True, editable=False
    )
    residence_confirmed_by = models.ForeignKey(
        "self",
        verbose_name=_("residenza confermata da"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
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

    @property
    def identity_verified(self) -> bool:
        """Name, birth date and fiscal number come from SPID or CIE."""
        return self.identity_verified_at is not None

    @property
    def residence_confirmed(self) -> bool:
        """An official confirmed the comune the person declares now (a later change of comune
        leaves the old confirmation behind: it no longer counts)."""
        return (
            self.residence_confirmed_comune_id is not None
            and self.residence_confirmed_comune_id == self.comune_id
        )

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
            self._role_names = self._cached_role_names()
        return self._role_names

    def _cached_role_names(self) -> frozenset[str]:
        """From the cache under the permissions version, which every change of a group
        membership or of a group replaces (``accounts.backends``); else one query."""
        from django.core.cache import cache

        from accounts.backends import permissions_version

        key = f"accounts:roles:{self.pk}:{permissions_version()}"
        names = cache.get(key)
        if names is None:
            names = frozenset(group.name for group in self.groups.all())
            cache.set(key, names, 60 * 60)
        return names

    def get_full_name(self) -> str:
        return self.public_name

    def get_short_name(self) -> str:
        return self.public_name


class ResidenceCheck(models.Model):
    """One row per confirmation of a person's residence by an official, or per loss of it
    (the comune changed): the audit trail behind ``User.residence_confirmed``."""

    class Outcome(models.TextChoices):
        CONFIRMED = "confirmed", _("confermata")
        DROPPED = "dropped", _("decaduta")

    user = models.ForeignKey(
        User,
        verbose_name=_("persona"),
        on_delete=models.CASCADE,
        related_name="residence_checks",
    )
    comune = models.ForeignKey(
        "territory.Comune", verbose_name=_("comune"), on_delete=models.PROTECT, related_name="+"
    )
    outcome = models.CharField(_("esito"), max_length=10, choices=Outcome.choices)
    official = models.ForeignKey(
        User,
        verbose_name=_("chi ha confermato"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="residence_checks_made",
    )
    place = models.CharField(
        _("dove"),
        max_length=200,
        blank=True,
        help_text=_("Il laboratorio o lo sportello in cui è stato visto il documento."),
    )
    document = models.CharField(
        _("documento visto"),
        max_length=100,
        blank=True,
        help_text=_("Il tipo di documento, senza numero (es. «carta d'identità»)."),
    )
    reason = models.CharField(_("motivo"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("quando"), auto_now_add=True)

    class Meta:
        verbose_name = _("verifica della residenza")
        verbose_name_plural = _("verifiche della residenza")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.user_id} {self.comune_id} {self.outcome}"


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
    if created and role == Role.EDITOR:
        _editor_page_permissions(group)
    return group


#: What the Editor role may do on every page (migration 0005 grants the same on the root).
EDITOR_PAGE_PERMISSIONS = (
    "add_page",
    "change_page",
    "publish_page",
    "bulk_delete_page",
    "lock_page",
    "unlock_page",
)


def _editor_page_permissions(group: Group) -> None:
    from django.contrib.auth.models import Permission
    from wagtail.models import GroupPagePermission, Page

    root = Page.get_first_root_node()
    if root is None:
        return
    for permission in Permission.objects.filter(
        content_type__app_label="wagtailcore", codename__in=EDITOR_PAGE_PERMISSIONS
    ):
        GroupPagePermission.objects.get_or_create(group=group, page=root, permission=permission)


@receiver(m2m_changed, sender=User.groups.through)
def forget_role_names(sender, instance, **kwargs) -> None:
    """Groups added or removed: the next ``has_role`` reads them again."""
    if isinstance(instance, User):
        instance.__dict__.pop("_role_names", None)
