"""Who may open which page, and who may write through it: the role × view table.

Every URL pattern of the site (``django.urls.get_resolver``) must be covered here, by its full
route or by a prefix rule; tests/drills/test_access.py fails on any pattern that is not, and
requests every covered pattern as every role, once with a GET and once with a POST.

Each entry gives, for the roles in ``ROLES`` order, the outcomes allowed (one token per role;
a token may allow several outcomes, e.g. ``NL``)::

    'route': 'GET tokens'                  # POST: the default rule below
    'route': 'GET tokens | POST tokens'    # POST: as written
    'route': ('… tokens …', {"pk": "proposal"})   # path arguments from the drill's objects

- ``O`` the page (2xx)          - ``L`` a redirect to the login page
- ``R`` another redirect        - ``D`` refused (403)
- ``N`` not found (404)         - ``M`` method not allowed (405)
- ``B`` bad request (400)
- ``*`` anything but a server error  - ``5`` a server error (only Wagtail's deliberate
  error page, admin/failwhale/, for people who may open the admin)
- ``X`` (POST only) refused however the view answers (a redirect back with a message, the
  form again with the reason…): anything but a server error, and the database is unchanged

Default POST rule, per role: a GET token made only of refusals (``L``, ``D``, ``N``, ``B``)
stays a refusal on POST (the same letters, or ``M``); ``5`` stays ``5``; any other token
becomes ``*`` (the role may write). A row whose GET tokens contain ``M`` (a POST-only view)
must write its POST tokens. Explicit POST tokens may not turn a role refused on GET into a
role allowed to POST (the test checks). Whatever the row says, a POST answered with ``L``,
``D``, ``N``, ``M`` or ``B`` must leave the database unchanged (row counts and contents of the
app tables are compared before and after).

POST bodies are empty unless ``POST_BODIES`` gives one for the route: a minimal valid-looking
form, so that the permission check is reached rather than a "form not valid" answer. A value
``"@name"`` is the pk of the drill object ``name``.

Path arguments: ``pk``-like integers name an object that does not exist (999999) unless the
entry gives an object from the drill fixtures (tests/drills/access_fixtures.py), so those rows
prove the view answers 404 (or sends anonymous people to log in) rather than leaking or
failing. The write views that matter (vote, comment, report, moderation, official answers,
exports, leadership review/assignment/selection/attendance, the live console) name real
objects that the matrix's roles may NOT act on (``staff``, a superuser, may).
"""

# Every role of the platform: a visitor, a participant, the Facilitator and Editor groups (not
# facilitators of the drill's consultation), a superuser, a leadership reviewer with no
# assignment and a programme coordinator (tests/drills/access_fixtures.py: ``drill_users``).
ROLES = ("anonymous", "participant", "facilitator", "editor", "staff", "reviewer", "coordinator")

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
# is for staff only (editors, facilitators, coordinators, staff); anonymous people, participants
# and reviewers are sent to log in. What each staff role may do inside the admin is Wagtail's page-permission model.
PREFIX_RULES: dict[str, str] = {"admin/": "L L * * * L *"}

# fmt: off
MATRIX: dict[str, str | tuple[str, dict[str, str]]] = {
    # the Wagtail admin's public corners (log in, password reset, icons, translations)
    'admin/sprite/': 'O O O O O O O',
    'admin/login/': 'O O R R R O R',
    'admin/password_reset/': 'O O O O O O O',
    'admin/password_reset/done/': 'O O O O O O O',
    'admin/password_reset/confirm/<uidb64>/<token>/': 'O O O O O O O',
    'admin/password_reset/complete/': 'O O O O O O O',
    'admin/jsi18n/': 'O O O O O O O',
    'admin/^.*/$': 'LR LR N N N LR N',
    'admin/failwhale/': 'L L 5 5 5 L 5',
    # Wagtail's own faults on malformed POSTs (an empty body): AttributeError in the external
    # link chooser, KeyError in the redirects import. Staff only; see docs/reliability.md.
    'admin/choose-external-link/': 'L L * * * L * | L L 5 5 5 L 5',
    'admin/redirects/import/process/': 'L L * * * L * | L L * * 5 L *',
    # the moderation views (ours, inside the admin): only this consultation's facilitators.
    # Wagtail turns their PermissionDenied into a redirect to the admin home with a message.
    'admin/moderazione/<id:consultation_id>/': ('L L R R O L R', {"consultation_id": "consultation"}),
    'admin/moderazione/<id:consultation_id>/azione/': ('L L M M M L M | L L X X * L X', {"consultation_id": "consultation"}),
    'admin/moderazione/<id:consultation_id>/proposte/': ('L L R R O L R', {"consultation_id": "consultation"}),
    'admin/moderazione/<id:consultation_id>/proposte/<id:proposal_id>/': ('L L R R O L R | L L X X * L X', {"consultation_id": "consultation", "proposal_id": "proposal"}),  # official answer
    'admin/moderazione/<id:consultation_id>/proposte/<id:proposal_id>/versioni/': ('L L R R O L R | L L X X * L X', {"consultation_id": "consultation", "proposal_id": "proposal"}),  # compare, approve an edit
    'admin/moderazione/<id:consultation_id>/in-presenza/': ('L L R R O L R | L L X X * L X', {"consultation_id": "consultation"}),
    'admin/moderazione/<id:consultation_id>/registro/': ('L L R R O L R', {"consultation_id": "consultation"}),
    'admin/moderazione/modifiche-alle-azioni/<id:change_set_id>/': ('L L R O O L R | L L X * * L X', {"change_set_id": "change_set"}),  # review, publish an action's new text
    # who facilitates what: editors and coordinators (the Wagtail admin turns a refusal into a
    # redirect to its dashboard)
    'admin/facilitazioni/': 'L L R O O L O | L L X * * L *',
    'admin/facilitazioni/<id:pk>/togli/': 'L L M M M L M | L L X N N L N',
    'admin/facilitazioni/registro/': 'L L R O O L O',
    'healthz': 'O O O O O O O',
    'i18n/setlang/': 'R R R R R R R',
    'documents/^(\\d+)/(.*)$': 'N N N N N N N',
    'documents/authenticate_with_password/<int:restriction_id>/': 'N N N N N N N',
    'account/login/': 'O O O O O O O',  # shown even when signed in: no /admin/ redirect loop
    'account/logout/': 'R O O O O O O',
    'account/inactive/': 'O O O O O O O',
    'account/signup/': 'O O O O O O O',
    'account/reauthenticate/': 'L O O O O O O',
    'account/email/': 'L O O O O O O',
    'account/confirm-email/': 'O O O O O O O',
    'account/password/change/': 'L O O O O O O',
    'account/password/set/': 'L R R R R R R',
    'account/password/reset/': 'O O O O O O O',
    'account/login/code/confirm/': 'L R R R R R R',
    'account/^confirm-email/(?P<key>[-:\\w]+)/$': 'O O O O O O O',
    'account/password/reset/key/done/': 'O O O O O O O',
    'account/^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$': 'O O O O O O O',
    'account/password/reset/done/': 'O O O O O O O',
    'account/2fa/': 'L O O O O O O',
    'account/2fa/authenticate/': 'L R R R R R R',
    'account/2fa/reauthenticate/': 'L R R R R R R',
    'account/2fa/totp/activate/': 'L R R R R R R',
    'account/2fa/totp/deactivate/': 'L N N N N N N',
    'account/2fa/recovery-codes/': 'L N N N N N N',
    'account/2fa/recovery-codes/generate/': 'L R R R R R R',
    'account/2fa/recovery-codes/download/': 'L N N N N N N',
    'profilo/': 'L O O O O O O',
    'profilo/modifica/': 'L O O O O O O',
    'profilo/i-miei-dati.json': 'L O O O O O O',
    'profilo/elimina/': 'L O O O O O O',
    # facilitators (and superusers) confirm residences; everyone else is refused
    'profilo/conferma-residenza/': 'L D O D O D D',
    # SPID and CIE sign-in: absent (404) while not configured, as in the drill's settings;
    # tests/accounts/test_identity_sign_in.py drives them against the test identity provider.
    'identita/metadata/': 'N N N N N N N',
    'identita/entra/': 'N N N N N N N',
    'identita/acs/': 'N N N N N N N',
    'identita/spid/': 'N N N N N N N',
    'identita/sls/': 'N N N N N N N',
    'partecipa/<id:pk>/segui/': ('M M M M M M M | L * * * * * *', {"pk": "consultation"}),
    'partecipa/<id:consultation_id>/risultati/': ('D D D D O D D', {"consultation_id": "consultation"}),
    'partecipa/<id:consultation_id>/risultati/<str:fmt>/': ('D D D D O D D', {"consultation_id": "consultation"}),  # export
    'proposte/<id:pk>/': ('O O O O O O O', {"pk": "proposal"}),
    'proposte/<id:pk>/modifica/': ('L R R R R R R | L X X X X X X', {"pk": "proposal"}),
    'proposte/<id:pk>/ritira/': ('L R R R R R R | L X X X X X X', {"pk": "proposal"}),
    'proposte/<id:pk>/sostegno/': ('M M M M M M M | L X X X X X X', {"pk": "closed_proposal"}),
    'proposte/<id:pk>/commenti/': ('M M M M M M M | L X X X X X X', {"pk": "closed_proposal"}),
    'proposte/nuova/<id:consultation_id>/': ('L O O O O O O | L X X X X X X', {"consultation_id": "consultation"}),
    'proposte/bilancio/<id:consultation_id>/': 'L N N N N N N',
    'proposte/commenti/<id:pk>/modifica/': ('L R R R R R R | L X X X X X X', {"pk": "comment"}),
    'proposte/commenti/<id:pk>/elimina/': ('M M M M M M M | L X X X X X X', {"pk": "comment"}),
    'proposte/commenti/<id:pk>/mi-piace/': ('M M M M M M M | L * * * * * *', {"pk": "comment"}),
    'proposte/segnala/<str:kind>/<id:pk>/': ('L O O O O O O', {"pk": "proposal"}),
    'proposte/modifiche-alle-azioni/<id:pk>/': ('O O O O O O O', {"pk": "published_change_set"}),
    'programma/candidature/': 'L O O O O O O',
    'programma/bandi/<id:call_id>/candidatura/': 'L N N N N N N',
    'programma/bandi/<id:call_id>/resoconto/': 'N N N N N N N',
    'programma/candidature/<id:pk>/bozza/': ('L M M M M M M | L N N N N N N', {"pk": "application"}),
    'programma/candidature/<id:pk>/documenti/': ('L M M M M M M | L N N N N N N', {"pk": "application"}),
    'programma/candidature/<id:pk>/documenti/<id:document_id>/elimina/': ('L M M M M M M | L N N N N N N', {"pk": "application", "document_id": "document"}),
    'programma/candidature/<id:pk>/invia/': ('L M M M M M M | L N N N N N N', {"pk": "application"}),
    'programma/candidature/<id:pk>/ritira/': ('L M M M M M M | L N N N N N N', {"pk": "application"}),
    'programma/candidature/<id:pk>/posto/': ('L M M M M M M | L N N N N N N', {"pk": "application"}),
    'programma/documenti/<id:document_id>/': ('L N N N O N O', {"document_id": "document"}),
    'programma/valutazione/': 'L D D D O O D',
    # the reviewer role is checked before the review is looked up (issue 11, finding 5)
    'programma/valutazione/<id:pk>/': ('L D D D N N D', {"pk": "review"}),
    'programma/valutazione/<id:pk>/conflitto/': ('L M M M M M M | L D D D N N D', {"pk": "review"}),
    'programma/coordinamento/': 'L D D D O D O',
    'programma/coordinamento/<id:call_id>/': ('L D D D O D O', {"call_id": "call"}),
    'programma/coordinamento/<id:call_id>/assegna/': ('L M M M M M M | L D D D * D *', {"call_id": "call"}),
    'programma/coordinamento/<id:call_id>/correggi/<id:application_id>/': ('L M M M M M M | L D D D * D *', {"call_id": "call", "application_id": "application"}),
    'programma/coordinamento/<id:call_id>/conferma/': ('L M M M M M M | L D D D * D *', {"call_id": "call"}),
    'programma/coordinamento/<id:call_id>/resoconto/': ('L M M M M M M | L D D D * D *', {"call_id": "call"}),
    'programma/coordinamento/<id:call_id>/percorso/': ('L M M M M M M | L D D D * D *', {"call_id": "call"}),
    'programma/coordinamento/candidature/<id:pk>/': ('L D D D O D O', {"pk": "application"}),
    'programma/percorso/<id:cohort_id>/': ('L N N N O N O', {"cohort_id": "cohort"}),
    'programma/percorso/<id:cohort_id>/tappe/<id:stage_id>/incontri/': ('L M M M M M M | L D D D * D *', {"cohort_id": "cohort", "stage_id": "stage"}),
    'programma/percorso/<id:cohort_id>/completa/': ('L M M M M M M | L D D D * D *', {"cohort_id": "cohort"}),
    'programma/incontri/<id:session_id>/': ('L N N N O N O', {"session_id": "meeting"}),
    'programma/incontri/<id:session_id>/presenze/': ('L M M M M M M | L D D D * D *', {"session_id": "meeting"}),
    'programma/presenza/<str:token>/': 'L O O O O O O | L X X X X X X',
    'programma/attestati/<str:code>/': 'L N N N N N N',
    'programma/verifica/': 'O O O O O O O',
    'programma/verifica/<str:code>/': 'O O O O O O O',
    # conversations (issue 16), on the drill's closed consultation (an information phase: nobody
    # votes or writes); only its moderators (here staff) moderate, seed and export
    'conversazioni/<id:pk>/': ('O O O O O O O', {"pk": "conversation"}),
    'conversazioni/<id:pk>/nuova-affermazione/': ('L D D D O D D', {"pk": "conversation"}),
    'conversazioni/<id:pk>/le-mie-risposte/': ('L O O O O O O', {"pk": "conversation"}),
    'conversazioni/<id:pk>/risultati/': ('D D D D O D D', {"pk": "conversation"}),
    'conversazioni/<id:pk>/risultati/<str:fmt>/': ('D D D D O D D', {"pk": "conversation"}),  # export
    'conversazioni/<id:pk>/moderazione/': ('L D D D O D D', {"pk": "conversation"}),
    'conversazioni/affermazioni/<id:pk>/voto/': ('L M M M M M M | L X X X X X X', {"pk": "statement"}),
    'conversazioni/affermazioni/<id:pk>/modera/': ('L M M M M M M | L D D D * D D', {"pk": "statement"}),
    'conversazioni/nuova/<id:consultation_id>/': ('L D D D O D D', {"consultation_id": "consultation"}),
    # the staff area: anyone with a role (issue 13)
    'area-di-lavoro/': 'L D O O O O O',
    # the header's "Leadership civica": the programme's current edition, or a page saying it
    # is not published yet
    'leadership/': 'OR OR OR OR OR OR OR',
    'laboratori/': 'O O O O O O O',
    # on a consultation only its moderators open workshops (issue 11, finding 4): the drill's
    # facilitator and editor do not moderate the drill's consultation
    'laboratori/nuovo/': 'L O O O O O O | L X X X * X X',
    'laboratori/sessione/<id:pk>/': ('O O O O O O O', {"pk": "workshop"}),
    # the projector shows the join code: only who conducts the session (issue 11, finding 1) …
    'laboratori/sessione/<id:pk>/schermo/': ('L D D D O D D', {"pk": "workshop"}),
    'laboratori/sessione/<id:pk>/schermo/nuovo-collegamento/': ('L M M M M M M | L D D D * D D', {"pk": "workshop"}),
    # … or whoever holds the secret projector link (a guessed one is not found; the real link
    # is drilled in tests/drills/test_workshop_stuffing.py)
    'laboratori/schermo/<str:token>/': 'N N N N N N N',
    'laboratori/sessione/<id:pk>/conduzione/': ('L D D D O D D', {"pk": "workshop"}),
    'laboratori/sessione/<id:pk>/conduzione/azione/': ('L M M M M M M | L D D D * D D', {"pk": "workshop"}),
    'laboratori/sessione/<id:pk>/attivita/nuova/': ('L M M M M M M | L D D D * D D', {"pk": "workshop"}),
    'laboratori/sessione/<id:pk>/risultati.csv': ('L D D D O D D', {"pk": "workshop"}),  # export
    'laboratori/sessione/<id:pk>/idee-in-proposte/': ('L M M M M M M | L D D D * D D', {"pk": "workshop"}),
    'laboratori/api/consultation/<id:pk>/totals.json': 'N N N N N N N',
    'laboratori/^(?P<code>[A-Za-z0-9]{6})/$': ('O O O O O O O', {"code": "workshop_code"}),
    'laboratori/^(?P<code>[A-Za-z0-9]{6})/qr\\.svg$': ('O O O O O O O', {"code": "workshop_code"}),
    'laboratori/^(?P<code>[A-Za-z0-9]{6})/attivita/(?P<activity_pk>[0-9]+)/risposta/$': ('M M M M M M M | R R R R R R R', {"code": "workshop_code", "activity_pk": "activity"}),
    'laboratori/^(?P<code>[A-Za-z0-9]{6})/attivita/(?P<activity_pk>[0-9]+)/idea/$': ('M M M M M M M | X X X X X X X', {"code": "workshop_code", "activity_pk": "activity"}),
    # a statement vote on the drill's single-choice activity: refused, nobody admitted
    'laboratori/^(?P<code>[A-Za-z0-9]{6})/attivita/(?P<activity_pk>[0-9]+)/affermazione/$': ('M M M M M M M | X X X X X X X', {"code": "workshop_code", "activity_pk": "activity"}),
    'api/schema/': 'O O O O O O O',
    'api/docs/': 'O O O O O O O',
    'api/consultations/<id:pk>/results/': 'N N N N N N N',
    'api/conversations/<id:pk>/results/': 'N N N N N N N',
    'api/^consultations/$': 'O O O O O O O',
    'api/^consultations\\.(?P<format>[a-z0-9]+)/?$': 'O O O O O O O',
    'api/^consultations/(?P<pk>[0-9]{1,18})/$': 'N N N N N N N',
    'api/^consultations/(?P<pk>[0-9]{1,18})\\.(?P<format>[a-z0-9]+)/?$': 'N N N N N N N',
    'api/^proposals/$': 'O O O O O O O',
    'api/^proposals\\.(?P<format>[a-z0-9]+)/?$': 'O O O O O O O',
    'api/^proposals/(?P<pk>[0-9]{1,18})/$': ('O O O O O O O', {"pk": "proposal"}),
    'api/^proposals/(?P<pk>[0-9]{1,18})\\.(?P<format>[a-z0-9]+)/?$': 'N N N N N N N',
    'api/^answers/$': 'O O O O O O O',
    'api/^answers\\.(?P<format>[a-z0-9]+)/?$': 'O O O O O O O',
    'api/^answers/(?P<pk>[0-9]{1,18})/$': 'N N N N N N N',
    'api/^answers/(?P<pk>[0-9]{1,18})\\.(?P<format>[a-z0-9]+)/?$': 'N N N N N N N',
    'api/': 'O O O O O O O',
    'dati/': 'O O O O O O O',
    'dati/catalogo.<str:fmt>': 'N N N N N N N',  # fmt "csv" is not a catalogue format
    'api/<drf_format_suffix:format>': 'R R R R R R R',
    'notifiche/': 'L O O O O O O',
    'notifiche/<id:pk>/apri/': ('L N N N N N N', {"pk": "notification"}),
    'notifiche/lette/': 'L M M M M M M | L R R R R R R',
    'notifiche/preferenze/': 'L O O O O O O',
    'notifiche/disiscrizione/<str:token>/': 'B B B B B B B',
    'cerca/': 'O O O O O O O',
    'territorio/comuni.json': 'O O O O O O O',
    'partecipazione/territorio/': 'O O O O O O O',
    # hand-entered counts (issue 12): anyone signed in sees the list of what they may count
    # (empty for most); a workshop's headcount is for who may run it (equity.count_workshop),
    # a consultation's paper tally for its moderators (equity.count_paper)
    'partecipazione/territorio/conteggi/': 'L O O O O O O | L M M M M M M',
    'partecipazione/territorio/laboratori/<id:pk>/presenze/': ('L D D D O D D', {"pk": "workshop"}),
    'partecipazione/territorio/laboratori/<id:pk>/presenze/<id:entry_pk>/ritira/': ('L M M M M M M | L D D D * D D', {"pk": "workshop", "entry_pk": "headcount"}),
    'partecipazione/territorio/consultazioni/<id:pk>/schede/': ('L D D D O D D', {"pk": "consultation"}),
    'partecipazione/territorio/consultazioni/<id:pk>/schede/<id:entry_pk>/ritira/': ('L M M M M M M | L D D D * D D', {"pk": "consultation", "entry_pk": "paper_tally"}),
    'privacy/': 'O O O O O O O',
    'accessibilita/': 'O O O O O O O',
    'chi-siamo/': 'O O O O O O O',
    # accountability: what became of the proposals (public, read-only; drafts are 404)
    # contests (issue 17), on another person's draft entry in an open contest and a juror
    # assignment of another juror: entries are for their team only (404 to everyone else, staff
    # too), jury pages for the assigned juror only; who may edit the contest page runs it
    'concorsi/miei/': 'L O O O O O O',
    'concorsi/inviti/<id:member_id>/accetta/': ('L M M M M M M | L N N N N N N', {"member_id": "entry_member"}),
    'concorsi/<id:contest_id>/partecipa/': ('L O O O O O O', {"contest_id": "contest"}),
    'concorsi/<id:contest_id>/voto/': ('L M M M M M M | L X X X X X X', {"contest_id": "contest"}),
    'concorsi/progetti/<id:pk>/': ('L N N N N N N', {"pk": "entry"}),
    'concorsi/progetti/<id:pk>/bozza/': ('L M M M M M M | L N N N N N N', {"pk": "entry"}),
    'concorsi/progetti/<id:pk>/squadra/': ('L M M M M M M | L N N N N N N', {"pk": "entry"}),
    'concorsi/progetti/<id:pk>/squadra/<id:member_id>/togli/': ('L M M M M M M | L N N N N N N', {"pk": "entry", "member_id": "entry_member"}),
    'concorsi/progetti/<id:pk>/file/': ('L M M M M M M | L N N N N N N', {"pk": "entry"}),
    'concorsi/progetti/<id:pk>/file/<id:file_id>/': ('L N N N N N N', {"pk": "entry", "file_id": "entry_file"}),
    'concorsi/progetti/<id:pk>/file/<id:file_id>/elimina/': ('L M M M M M M | L N N N N N N', {"pk": "entry", "file_id": "entry_file"}),
    'concorsi/progetti/<id:pk>/consegna/': ('L M M M M M M | L N N N N N N', {"pk": "entry"}),
    'concorsi/giuria/': 'L O O O O O O',
    'concorsi/giuria/<id:pk>/': ('L N N N N N N', {"pk": "jury_assignment"}),
    'concorsi/giuria/<id:pk>/nessun-conflitto/': ('L M M M M M M | L N N N N N N', {"pk": "jury_assignment"}),
    'concorsi/giuria/<id:pk>/conflitto/': ('L M M M M M M | L N N N N N N', {"pk": "jury_assignment"}),
    'concorsi/giuria/<id:pk>/file/<id:file_id>/': ('L N N N N N N', {"pk": "jury_assignment", "file_id": "entry_file"}),
    'concorsi/<id:contest_id>/gestione/': ('L N N O O N N', {"contest_id": "contest"}),
    'concorsi/<id:contest_id>/gestione/assegna/': ('L M M M M M M | L N N * * N N', {"contest_id": "contest"}),
    'concorsi/<id:contest_id>/gestione/risultati/': ('L M M M M M M | L N N X X N N', {"contest_id": "contest"}),
    'concorsi/<id:contest_id>/gestione/seguito/': ('L M M M M M M | L N N N N N N', {"contest_id": "contest"}),
    # withdrawal: the team's contact only (another person's entry: 404); questions: whoever may
    # take part asks while they are open (an empty form changes nothing); the signed agreement
    # once the results are public (the drill's contest has none); the dashboard's answers,
    # agreement upload and co-design workshops: who runs the contest, on its own objects
    'concorsi/progetti/<id:pk>/ritira/': ('L M M M M M M | L N N N N N N', {"pk": "entry"}),
    'concorsi/<id:contest_id>/domande/': ('L M M M M M M | L * * * * * *', {"contest_id": "contest"}),
    'concorsi/<id:contest_id>/patto/': ('N N N N N N N', {"contest_id": "contest"}),
    'concorsi/<id:contest_id>/gestione/patto/': ('L M M M M M M | L N N N N N N', {"contest_id": "contest"}),
    'concorsi/<id:contest_id>/gestione/laboratori/': ('L M M M M M M | L N N N N N N', {"contest_id": "contest"}),
    'concorsi/<id:contest_id>/gestione/domande/<id:question_id>/': ('L M M M M M M | L N N N N N N', {"contest_id": "contest"}),
    'risultati-attuazione/': 'O O O O O O O',
    'risultati-attuazione/azione/<str:code>/': 'N N N N N N N',
    'risultati-attuazione/interventi/<id:pk>/': 'N N N N N N N',
    # consensus statements into proposals and records: the consultation's moderators only
    'risultati-attuazione/conversazioni/<id:pk>/nel-percorso/': ('L D D D O D D', {"pk": "conversation"}),
    'risultati-attuazione/affermazioni/<id:pk>/in-proposta/': ('L M M M M M M | L D D D * D D', {"pk": "statement"}),
    'risultati-attuazione/affermazioni/<id:pk>/in-intervento/': ('L M M M M M M | L D D D * D D', {"pk": "statement"}),
    '_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/': 'N N N N N N N',
    '_util/login/': 'O O O O O O O',
    '^((?:[\\w\\-]+/)*)$': ('O O O O O O O', {"__url__": "consultation"}),
    # the same pages through the cached route in front of Wagtail's (psm/caching.py)
    '^(?!_util/)((?:[\\w\\-]+/)*)$': ('O O O O O O O', {"__url__": "consultation"}),
}
# fmt: on

# Minimal valid-looking forms for the write views whose permission check comes after the form
# (an empty body would only prove that an empty form is refused). "@name": a drill object's pk.
_TEXT = "Testo di prova dell'esercitazione di accesso"
POST_BODIES: dict[str, dict[str, str | list[str]]] = {
    "conversazioni/<id:pk>/nuova-affermazione/": {"text": "Un'affermazione di prova"},
    "conversazioni/<id:pk>/moderazione/": {"text": "Un'affermazione di partenza di prova"},
    "conversazioni/affermazioni/<id:pk>/voto/": {"voto": "agree"},
    "conversazioni/affermazioni/<id:pk>/modera/": {"azione": "hide"},
    "conversazioni/nuova/<id:consultation_id>/": {"question": "Una domanda di prova"},
    "proposte/<id:pk>/commenti/": {"body": _TEXT},
    "proposte/commenti/<id:pk>/modifica/": {"body": _TEXT},
    "proposte/nuova/<id:consultation_id>/": {"title": "Una proposta di prova", "body": _TEXT},
    "proposte/segnala/<str:kind>/<id:pk>/": {"reason": "spam", "text": _TEXT},
    "admin/moderazione/<id:consultation_id>/azione/": {
        "op": "hide",
        "target": "proposal",
        "target_id": "@proposal",
        "reason": _TEXT,
    },
    "admin/moderazione/<id:consultation_id>/proposte/<id:proposal_id>/": {
        "form": "answer",
        "status": "accepted",
        "answer": _TEXT,
    },
    "admin/moderazione/modifiche-alle-azioni/<id:change_set_id>/": {
        "op": "publish",
        "confirm": "on",
    },
    "admin/moderazione/<id:consultation_id>/in-presenza/": {
        "title": "Una proposta raccolta in presenza",
        "body": _TEXT,
    },
    "programma/valutazione/<id:pk>/": {"comment": _TEXT},
    "programma/valutazione/<id:pk>/conflitto/": {"reason": _TEXT},
    "programma/coordinamento/<id:call_id>/correggi/<id:application_id>/": {
        "include": "out",
        "motivation": _TEXT,
    },
    "programma/coordinamento/<id:call_id>/resoconto/": {"published": "1"},
    "programma/coordinamento/candidature/<id:pk>/": {"eligible": "0", "reason": _TEXT},
    "programma/percorso/<id:cohort_id>/tappe/<id:stage_id>/incontri/": {
        "title": "Un incontro di prova",
        "starts_at": "2030-01-10 10:00",
        "ends_at": "2030-01-10 12:00",
    },
    "programma/incontri/<id:session_id>/presenze/": {"present": ["@other_user"]},
    "programma/candidature/<id:pk>/ritira/": {"reason": _TEXT},
    "programma/candidature/<id:pk>/posto/": {"action": "accept"},
    "laboratori/nuovo/": {"page": "@consultation", "title": "Un laboratorio di prova"},
    "laboratori/sessione/<id:pk>/conduzione/azione/": {"action": "hide", "activity": "@activity"},
    "laboratori/sessione/<id:pk>/attivita/nuova/": {
        "kind": "single_choice",
        "prompt": "Una domanda di prova",
        "options": "Sì\nNo",
    },
    "laboratori/^(?P<code>[A-Za-z0-9]{6})/attivita/(?P<activity_pk>[0-9]+)/risposta/$": {
        "choice": "0"
    },
    "laboratori/^(?P<code>[A-Za-z0-9]{6})/attivita/(?P<activity_pk>[0-9]+)/idea/$": {"text": _TEXT},
    "laboratori/^(?P<code>[A-Za-z0-9]{6})/attivita/(?P<activity_pk>[0-9]+)/affermazione/$": {
        "affermazione": "@statement",
        "voto": "agree",
    },
    "risultati-attuazione/affermazioni/<id:pk>/in-intervento/": {"record": "1"},
}
