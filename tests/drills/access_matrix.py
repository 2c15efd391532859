"""Who may open which page: the role × view table the access drill checks.

Every URL pattern of the site (``django.urls.get_resolver``) must be covered here, by its full
route or by a prefix rule; tests/drills/test_access.py fails on any pattern that is not, and
requests every covered pattern as every role with a GET.

Each entry gives, for the roles in ``ROLES`` order, the outcomes allowed (one token per role;
a token may allow several outcomes, e.g. ``NL``):

- ``O`` the page (2xx)          - ``L`` a redirect to the login page
- ``R`` another redirect        - ``D`` refused (403)
- ``N`` not found (404)         - ``M`` method not allowed (405: POST-only)
- ``B`` bad request (400)
- ``*`` anything but a server error  - ``5`` a server error (only Wagtail's deliberate
  error page, admin/failwhale/, for people who may open the admin)

Path arguments: ``pk``-like integers name an object that does not exist (999999) unless the
entry gives an object from the drill fixtures (``{"pk": "proposal"}``), so those rows prove
the view answers 404 (or sends anonymous people to log in) rather than leaking or failing.
"""

ROLES = ("anonymous", "participant", "facilitator", "editor", "staff")

# Sample values for path arguments, by argument name (missing objects unless overridden).
SAMPLE_ARGUMENTS = {
    "code": "ZZZZZZ",
    "token": "token-inesistente",
    "fmt": "csv",
    "format": "json",
    "kind": "proposta",
    "key": "chiave-inesistente",
    "uidb36": "zz",
}
MISSING_ID = 999999

# Routes under these prefixes follow the prefix rule unless listed in MATRIX: the Wagtail admin
# is for staff only (editors, facilitators, staff); anonymous people and participants are sent
# to log in. What each staff role may do inside the admin is Wagtail's page-permission model.
PREFIX_RULES: dict[str, str] = {"admin/": "L L * * *"}

# fmt: off
MATRIX: dict[str, str | tuple[str, dict[str, str]]] = {
    # the Wagtail admin's public corners (log in, password reset, icons, translations)
    'admin/sprite/': 'O O O O O',
    'admin/login/': 'O O R R R',
    'admin/password_reset/': 'O O O O O',
    'admin/password_reset/done/': 'O O O O O',
    'admin/password_reset/confirm/<uidb64>/<token>/': 'O O O O O',
    'admin/password_reset/complete/': 'O O O O O',
    'admin/jsi18n/': 'O O O O O',
    'admin/^.*/$': 'LR LR N N N',
    'admin/failwhale/': 'L L 5 5 5',
    'healthz': 'O O O O O',
    'i18n/setlang/': 'R R R R R',
    'documents/^(\\d+)/(.*)$': 'N N N N N',
    'documents/authenticate_with_password/<int:restriction_id>/': 'N N N N N',
    'account/login/': 'O O O O O',  # shown even when signed in: no /admin/ redirect loop
    'account/logout/': 'R O O O O',
    'account/inactive/': 'O O O O O',
    'account/signup/': 'O O O O O',
    'account/reauthenticate/': 'L O O O O',
    'account/email/': 'L O O O O',
    'account/confirm-email/': 'O O O O O',
    'account/password/change/': 'L O O O O',
    'account/password/set/': 'L R R R R',
    'account/password/reset/': 'O O O O O',
    'account/login/code/confirm/': 'L R R R R',
    'account/^confirm-email/(?P<key>[-:\\w]+)/$': 'O O O O O',
    'account/password/reset/key/done/': 'O O O O O',
    'account/^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$': 'O O O O O',
    'account/password/reset/done/': 'O O O O O',
    'account/2fa/': 'L O O O O',
    'account/2fa/authenticate/': 'L R R R R',
    'account/2fa/reauthenticate/': 'L R R R R',
    'account/2fa/totp/activate/': 'L R R R R',
    'account/2fa/totp/deactivate/': 'L N N N N',
    'account/2fa/recovery-codes/': 'L N N N N',
    'account/2fa/recovery-codes/generate/': 'L R R R R',
    'account/2fa/recovery-codes/download/': 'L N N N N',
    'profilo/': 'L O O O O',
    'profilo/modifica/': 'L O O O O',
    'profilo/i-miei-dati.json': 'L O O O O',
    'profilo/elimina/': 'L O O O O',
    'partecipa/<id:pk>/segui/': 'M M M M M',
    'partecipa/<id:consultation_id>/risultati/': ('D D D D O', {"consultation_id": "consultation"}),
    'partecipa/<id:consultation_id>/risultati/<str:fmt>/': ('D D D D O', {"consultation_id": "consultation"}),
    'proposte/<id:pk>/': ('O O O O O', {"pk": "proposal"}),
    'proposte/<id:pk>/modifica/': ('L R R R R', {"pk": "proposal"}),
    'proposte/<id:pk>/ritira/': ('L R R R R', {"pk": "proposal"}),
    'proposte/<id:pk>/sostegno/': 'M M M M M',
    'proposte/<id:pk>/commenti/': 'M M M M M',
    'proposte/nuova/<id:consultation_id>/': ('L O O O O', {"consultation_id": "consultation"}),
    'proposte/bilancio/<id:consultation_id>/': 'L N N N N',
    'proposte/commenti/<id:pk>/modifica/': ('L R R R R', {"pk": "comment"}),
    'proposte/commenti/<id:pk>/elimina/': 'M M M M M',
    'proposte/commenti/<id:pk>/mi-piace/': 'M M M M M',
    'proposte/segnala/<str:kind>/<id:pk>/': ('L O O O O', {"pk": "proposal"}),
    'programma/candidature/': 'L O O O O',
    'programma/bandi/<id:call_id>/candidatura/': 'L N N N N',
    'programma/bandi/<id:call_id>/resoconto/': 'N N N N N',
    'programma/candidature/<id:pk>/bozza/': 'L M M M M',
    'programma/candidature/<id:pk>/documenti/': 'L M M M M',
    'programma/candidature/<id:pk>/documenti/<id:document_id>/elimina/': 'L M M M M',
    'programma/candidature/<id:pk>/invia/': 'L M M M M',
    'programma/candidature/<id:pk>/ritira/': 'L M M M M',
    'programma/candidature/<id:pk>/posto/': 'L M M M M',
    'programma/documenti/<id:document_id>/': 'L N N N N',
    'programma/valutazione/': 'L D D D O',
    'programma/valutazione/<id:pk>/': 'L N N N N',
    'programma/valutazione/<id:pk>/conflitto/': 'L M M M M',
    'programma/coordinamento/': 'L D D D O',
    'programma/coordinamento/<id:call_id>/': 'L D D D N',
    'programma/coordinamento/<id:call_id>/assegna/': 'L M M M M',
    'programma/coordinamento/<id:call_id>/correggi/<id:application_id>/': 'L M M M M',
    'programma/coordinamento/<id:call_id>/conferma/': 'L M M M M',
    'programma/coordinamento/<id:call_id>/resoconto/': 'L M M M M',
    'programma/coordinamento/<id:call_id>/percorso/': 'L M M M M',
    'programma/coordinamento/candidature/<id:pk>/': 'L D D D N',
    'programma/percorso/<id:cohort_id>/': 'L N N N N',
    'programma/percorso/<id:cohort_id>/tappe/<id:stage_id>/incontri/': 'L M M M M',
    'programma/percorso/<id:cohort_id>/completa/': 'L M M M M',
    'programma/incontri/<id:session_id>/': 'L N N N N',
    'programma/incontri/<id:session_id>/presenze/': 'L M M M M',
    'programma/presenza/<str:token>/': 'L O O O O',
    'programma/attestati/<str:code>/': 'L N N N N',
    'programma/verifica/': 'O O O O O',
    'programma/verifica/<str:code>/': 'O O O O O',
    'laboratori/': 'O O O O O',
    'laboratori/nuovo/': 'L O O O O',
    'laboratori/sessione/<id:pk>/': 'N N N N N',
    'laboratori/sessione/<id:pk>/schermo/': 'N N N N N',
    'laboratori/sessione/<id:pk>/conduzione/': 'L N N N N',
    'laboratori/sessione/<id:pk>/conduzione/azione/': 'L M M M M',
    'laboratori/sessione/<id:pk>/attivita/nuova/': 'L M M M M',
    'laboratori/sessione/<id:pk>/risultati.csv': 'L N N N N',
    'laboratori/sessione/<id:pk>/idee-in-proposte/': 'L M M M M',
    'laboratori/api/consultation/<id:pk>/totals.json': 'N N N N N',
    'laboratori/^(?P<code>[A-Za-z0-9]{6})/$': 'N N N N N',
    'laboratori/^(?P<code>[A-Za-z0-9]{6})/qr\\.svg$': 'N N N N N',
    'laboratori/^(?P<code>[A-Za-z0-9]{6})/attivita/(?P<activity_pk>[0-9]+)/risposta/$': 'M M M M M',
    'laboratori/^(?P<code>[A-Za-z0-9]{6})/attivita/(?P<activity_pk>[0-9]+)/idea/$': 'M M M M M',
    'api/schema/': 'O O O O O',
    'api/docs/': 'O O O O O',
    'api/consultations/<id:pk>/results/': 'N N N N N',
    'api/^consultations/$': 'O O O O O',
    'api/^consultations\\.(?P<format>[a-z0-9]+)/?$': 'O O O O O',
    'api/^consultations/(?P<pk>[0-9]{1,18})/$': 'N N N N N',
    'api/^consultations/(?P<pk>[0-9]{1,18})\\.(?P<format>[a-z0-9]+)/?$': 'N N N N N',
    'api/^proposals/$': 'O O O O O',
    'api/^proposals\\.(?P<format>[a-z0-9]+)/?$': 'O O O O O',
    'api/^proposals/(?P<pk>[0-9]{1,18})/$': ('O O O O O', {"pk": "proposal"}),
    'api/^proposals/(?P<pk>[0-9]{1,18})\\.(?P<format>[a-z0-9]+)/?$': 'N N N N N',
    'api/^answers/$': 'O O O O O',
    'api/^answers\\.(?P<format>[a-z0-9]+)/?$': 'O O O O O',
    'api/^answers/(?P<pk>[0-9]{1,18})/$': 'N N N N N',
    'api/^answers/(?P<pk>[0-9]{1,18})\\.(?P<format>[a-z0-9]+)/?$': 'N N N N N',
    'api/': 'O O O O O',
    'api/<drf_format_suffix:format>': 'R R R R R',
    'notifiche/': 'L O O O O',
    'notifiche/<id:pk>/apri/': 'L N N N N',
    'notifiche/lette/': 'L M M M M',
    'notifiche/preferenze/': 'L O O O O',
    'notifiche/disiscrizione/<str:token>/': 'B B B B B',
    'cerca/': 'O O O O O',
    'territorio/comuni.json': 'O O O O O',
    'privacy/': 'O O O O O',
    'accessibilita/': 'O O O O O',
    'chi-siamo/': 'O O O O O',
    '_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/': 'N N N N N',
    '_util/login/': 'O O O O O',
    '^((?:[\\w\\-]+/)*)$': ('O O O O O', {"__url__": "consultation"}),
}
# fmt: on
