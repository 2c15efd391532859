"""The open-data catalogue in DCAT-AP_IT, the Italian profile of DCAT that dati.gov.it harvests.

One ``dcatapit:Dataset`` per consultation whose results are public, visible to anyone
(``consultations.visibility``: restricted, unpublished and expired consultations stay out),
with a ``dcatapit:Distribution`` per download (CSV tables, the XLSX workbook, the data
dictionary and the JSON of the public API), the licence as a ``dcatapit:LicenseDocument``,
and the publisher and rights holder as ``dcatapit:Agent`` (``OPEN_DATA_PUBLISHER``, with its IPA
code when ``OPEN_DATA_PUBLISHER_IPA`` is set). The graph is built with rdflib and serialised
as RDF/XML, Turtle or JSON-LD.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, XSD

from consultations.models import ConsultationPage
from proposals.exports import PUBLIC_TABLES
from proposals.open_data import dictionary
from proposals.open_data.licence import LICENCE, publisher_name
from proposals.results import results_are_public

DCATAPIT = Namespace("http://dati.gov.it/onto/dcatapit#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
EU = "http://publications.europa.eu/resource/authority/"
THEME_GOVERNMENT = URIRef(f"{EU}data-theme/GOVE")
FREQUENCY_IRREGULAR = URIRef(f"{EU}frequency/IRREG")
ITALIAN = URIRef(f"{EU}language/ITA")
FILE_TYPES = {"csv": "CSV", "xlsx": "XLSX", "json": "JSON"}
MEDIA_TYPES = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}
FORMATS = {"xml": "application/rdf+xml", "ttl": "text/turtle", "jsonld": "application/ld+json"}


@dataclass(frozen=True)
class Dataset:
    consultation: ConsultationPage
    modified: object

    @property
    def identifier(self) -> str:
        local = f"psm-giovani-consultazione-{self.consultation.pk}"
        ipa = settings.OPEN_DATA_PUBLISHER_IPA
        return f"{ipa}:{local}" if ipa else local


def published_datasets() -> list[Dataset]:
    """The consultations anyone may see whose results are public, newest first."""
    consultations = (
        ConsultationPage.objects.visible_to(None)
        .prefetch_related("phases")
        .order_by("-last_published_at", "-pk")
    )
    return [
        Dataset(consultation=page, modified=page.last_published_at or timezone.now())
        for page in consultations
        if results_are_public(page)
    ]


def _identifier(graph: Graph, subject, text: str) -> None:
    graph.add((subject, DCTERMS.identifier, Literal(text)))


def _agent(graph: Graph, absolute: Callable[[str], str]) -> URIRef:
    agent = URIRef(absolute("/dati/#ente"))
    graph.add((agent, RDF.type, DCATAPIT.Agent))
    graph.add((agent, RDF.type, FOAF.Agent))
    graph.add((agent, FOAF.name, Literal(publisher_name(), lang="it")))
    if settings.OPEN_DATA_PUBLISHER_IPA:
        _identifier(graph, agent, settings.OPEN_DATA_PUBLISHER_IPA)
    return agent


def _licence(graph: Graph) -> URIRef:
    licence = URIRef(LICENCE.url)
    graph.add((licence, RDF.type, DCATAPIT.LicenseDocument))
    graph.add((licence, DCTERMS.type, URIRef(LICENCE.adms_type)))
    graph.add((licence, FOAF.name, Literal(LICENCE.code)))
    return licence


def _contact(graph: Graph, absolute: Callable[[str], str]) -> URIRef | None:
    email = settings.OPEN_DATA_CONTACT_EMAIL
    if not email:
        return None
    contact = URIRef(absolute("/dati/#contatti"))
    graph.add((contact, RDF.type, DCATAPIT.Organization))
    graph.add((contact, RDF.type, VCARD.Organization))
    graph.add((contact, VCARD.fn, Literal(publisher_name())))
    graph.add((contact, VCARD.hasEmail, URIRef(f"mailto:{email}")))
    return contact


def _distributions(dataset: Dataset, absolute: Callable[[str], str]):
    """(id, title, format, URL) of every download of ``dataset``."""
    pk = dataset.consultation.pk
    csv_url = reverse("consultations:results_export", kwargs={"consultation_id": pk, "fmt": "csv"})
    xlsx_url = reverse(
        "consultations:results_export", kwargs={"consultation_id": pk, "fmt": "xlsx"}
    )
    for key in PUBLIC_TABLES:
        table = dictionary.TABLES[key]
        yield key, str(table.title), "csv", absolute(f"{csv_url}?tabella={key}")
    yield "dizionario", "Dizionario dei dati", "csv", absolute(f"{csv_url}?tabella=dizionario")
    yield "xlsx", "Foglio di calcolo con tutte le tabelle", "xlsx", absolute(xlsx_url)
    api = reverse("api:consultation-results", kwargs={"pk": pk})
    yield "json", "Risultati (API pubblica, JSON)", "json", absolute(api)


def catalogue_graph(*, absolute: Callable[[str], str], datasets: list[Dataset]) -> Graph:
    """The catalogue as an RDF graph; ``absolute`` turns a path into a full URL."""
    graph = Graph()
    graph.bind("dcat", DCAT)
    graph.bind("dct", DCTERMS)
    graph.bind("dcatapit", DCATAPIT)
    graph.bind("foaf", FOAF)
    graph.bind("vcard", VCARD)
    catalogue = URIRef(absolute(reverse("open_data:index")))
    agent = _agent(graph, absolute)
    licence = _licence(graph)
    contact = _contact(graph, absolute)
    graph.add((catalogue, RDF.type, DCATAPIT.Catalog))
    graph.add((catalogue, RDF.type, DCAT.Catalog))
    graph.add((catalogue, DCTERMS.title, Literal("PSM Giovani: dati aperti", lang="it")))
    graph.add(
        (
            catalogue,
            DCTERMS.description,
            Literal(
                "Risultati delle consultazioni di PSM Giovani, la piattaforma di partecipazione "
                "giovanile del Piano strategico metropolitano di Torino.",
                lang="it",
            ),
        )
    )
    graph.add((catalogue, DCTERMS.publisher, agent))
    graph.add((catalogue, FOAF.homepage, URIRef(absolute("/"))))
    graph.add((catalogue, DCTERMS.language, ITALIAN))
    modified = max((d.modified for d in datasets), default=timezone.now())
    graph.add((catalogue, DCTERMS.modified, Literal(modified.date(), datatype=XSD.date)))
    for dataset in datasets:
        graph.add(
            (catalogue, DCAT.dataset, _dataset(graph, dataset, absolute, agent, licence, contact))
        )
    return graph


def _dataset(graph, dataset: Dataset, absolute, agent, licence, contact) -> URIRef:
    page = dataset.consultation
    node = URIRef(absolute(reverse("consultations:results", kwargs={"consultation_id": page.pk})))
    graph.add((node, RDF.type, DCATAPIT.Dataset))
    graph.add((node, RDF.type, DCAT.Dataset))
    graph.add((node, DCTERMS.title, Literal(f"Risultati: {page.title}", lang="it")))
    description = page.search_description or strip_tags(page.question).strip() or page.title
    graph.add((node, DCTERMS.description, Literal(description, lang="it")))
    _identifier(graph, node, dataset.identifier)
    graph.add((node, DCTERMS.modified, Literal(dataset.modified.date(), datatype=XSD.date)))
    graph.add((node, DCAT.theme, THEME_GOVERNMENT))
    graph.add((node, DCTERMS.accrualPeriodicity, FREQUENCY_IRREGULAR))
    graph.add((node, DCTERMS.publisher, agent))
    graph.add((node, DCTERMS.rightsHolder, agent))
    graph.add((node, DCTERMS.language, ITALIAN))
    graph.add((node, DCAT.landingPage, URIRef(absolute(page.url or "/"))))
    if contact is not None:
        graph.add((node, DCAT.contactPoint, contact))
    for key, title, fmt, url in _distributions(dataset, absolute):
        distribution = BNode(f"d{page.pk}-{key}")
        graph.add((node, DCAT.distribution, distribution))
        graph.add((distribution, RDF.type, DCATAPIT.Distribution))
        graph.add((distribution, RDF.type, DCAT.Distribution))
        graph.add((distribution, DCTERMS.title, Literal(title, lang="it")))
        graph.add((distribution, DCTERMS.format, URIRef(f"{EU}file-type/{FILE_TYPES[fmt]}")))
        graph.add((distribution, DCAT.mediaType, Literal(MEDIA_TYPES[fmt])))
        graph.add((distribution, DCAT.accessURL, URIRef(url)))
        graph.add((distribution, DCAT.downloadURL, URIRef(url)))
        graph.add((distribution, DCTERMS.license, licence))
    return node


def catalogue_serialised(*, absolute: Callable[[str], str], fmt: str) -> str:
    graph = catalogue_graph(absolute=absolute, datasets=published_datasets())
    rdflib_format = {"xml": "pretty-xml", "ttl": "turtle", "jsonld": "json-ld"}[fmt]
    return graph.serialize(format=rdflib_format)
