"""Three consultation templates to start from (editors change or retire them in the admin,
"Modelli di consultazione"). Idempotent: a template with the same name is left alone."""

from django.db import migrations

DEFAULTS = [
    {
        "name": "Proposte e voto (6 settimane)",
        "description": (
            "Una settimana per presentare la domanda, tre per raccogliere le proposte, due per "
            "sostenerle; poi i risultati e le risposte ufficiali."
        ),
        "sort_order": 10,
        "categories": "Scuola e formazione\nLavoro\nCasa\nMobilità\nCultura e sport\nAmbiente",
        "vote_mode": "support",
        "phases": [("information", 7), ("proposals", 21), ("voting", 14), ("results", 90)],
    },
    {
        "name": "Bilancio partecipativo",
        "description": (
            "Quattro settimane di proposte, due di discussione (intanto chi facilita fa la "
            "valutazione tecnica), tre di voto sul budget, che indichi quando crei la "
            "consultazione. Le proposte sono verificate prima della pubblicazione."
        ),
        "sort_order": 20,
        "categories": "Spazi\nServizi\nAttività",
        "vote_mode": "budget",
        "premoderation": True,
        "phases": [("proposals", 28), ("discussion", 14), ("voting", 21), ("results", 120)],
    },
    {
        "name": "Conversazione",
        "description": (
            "Una settimana di informazione, tre di conversazione (brevi affermazioni, "
            "d'accordo / non d'accordo, gruppi di opinione), poi i risultati."
        ),
        "sort_order": 30,
        "vote_mode": "support",
        "phases": [("information", 7), ("conversation", 21), ("results", 60)],
    },
]


def create_defaults(apps, schema_editor):
    Template = apps.get_model("consultations", "ConsultationTemplate")
    TemplatePhase = apps.get_model("consultations", "TemplatePhase")
    for data in DEFAULTS:
        data = dict(data)
        phases = data.pop("phases")
        template, created = Template.objects.get_or_create(name=data["name"], defaults=data)
        if created:
            TemplatePhase.objects.bulk_create(
                TemplatePhase(template=template, kind=kind, duration_days=days, sort_order=n)
                for n, (kind, days) in enumerate(phases)
            )


class Migration(migrations.Migration):
    dependencies = [("consultations", "0006_consultation_templates")]

    operations = [migrations.RunPython(create_defaults, migrations.RunPython.noop)]
