"""ข้อ 14 รายการใน DCAT / The DGA's 14 items in ckanext-dcat's RDF, written and read back.

Add ``mofcompliance_dga`` after a DCAT-AP profile (``ckanext.dcat.rdf.profiles =
euro_dcat_ap_3 mofcompliance_dga``). The DCAT-AP profile already writes items 2 title,
3 publisher (the organisation), 4-5 contact point, 6 keywords and 7 description; this one
adds the items DCAT-AP has a term for but ckanext-dcat does not fill from thai_gdc fields:

====  =======================  ==========================  =============================
item  thai_gdc field           DCAT / DCAT-AP term         node
====  =======================  ==========================  =============================
1     data_type                dct:type                    skos:Concept
8     objective                prov:wasGeneratedBy         prov:Activity, one per value
9     update_frequency_unit    dct:accrualPeriodicity      the EU frequency IRI when one
      + _interval                                          means exactly that, else a
                                                           dct:Frequency (rdf:value = 9.2)
10    geo_coverage             dct:spatial                 dct:Location
11    data_source              dct:provenance              dct:ProvenanceStatement
12    data_format              dct:format                  dct:MediaTypeOrExtent per value
13    data_category            dct:rights                  dct:RightsStatement, and
                               + dct:accessRights          the EU access-right IRI
14    license_id               dct:license (dataset and    the licence's IRI (its URL in
                               every distribution)         ``licences.json``), else a
                                                           dct:LicenseDocument
====  =======================  ==========================  =============================

Beside the items, thai_gdc's ``reference_url_catalog`` (the dataset's page in the catalog it
is taken from) is ``dct:source``, DCAT-AP's "a related dataset from which the described
dataset is derived", when it is a web address.

A chosen value without an IRI is a node carrying the stored thai_gdc value byte-identical
as ``skos:notation`` and its labels from the standard as ``skos:prefLabel`` (``@th``,
``@en``); the ``<field>_other`` text of อื่นๆ is its ``rdfs:comment``. A licence IRI
carries the same notation and labels (one IRI is one licence of the register). Item 13 is
two statements because the EU access-right codes say only public or not: the code is
``dct:accessRights``, the data category itself ``dct:rights``. Objective is
prov:wasGeneratedBy because DCAT-AP defines that property as "an activity that ... provides
the business context for the creation of the dataset", which is what the objective
(strategy, plan, law, mission) records.

Free texts (titles, descriptions, keywords, the data source) carry a language tag: ``@th``
when they hold Thai script, else ``@en``. The catalog gets its description, publisher and
languages from ``ckanext.mofcompliance.dcat.*``.

``parse_dataset`` reads all of it back into thai_gdc fields, so a catalog harvested with
ckanext-dcat's RDF harvester keeps the 14 items; what DCAT-AP's own parser made of these
nodes (blank-node ids as ``frequency``, ``dcat_type``, ``provenance`` extras) is removed.
"""
from __future__ import annotations

import re
from typing import Any, Iterable

from rdflib import BNode, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, FOAF, PROV, XSD
from rdflib.term import Node

from ckan import model
from ckanext.dcat.profiles import DCT, RDF, RDFS, SKOS, RDFProfile

from .. import config
from ..standard import definition as std
from ..standard.fields import as_list

EU_AUTHORITY = "http://publications.europa.eu/resource/authority/"
EU_FREQUENCY = Namespace(EU_AUTHORITY + "frequency/")
EU_ACCESS_RIGHT = Namespace(EU_AUTHORITY + "access-right/")
EU_LANGUAGE = Namespace(EU_AUTHORITY + "language/")
PUBLIC, NON_PUBLIC = EU_ACCESS_RIGHT["PUBLIC"], EU_ACCESS_RIGHT["NON_PUBLIC"]
THAI_SCRIPT = re.compile("[\u0e00-\u0e7f]")

# (item 9.1 unit, item 9.2 interval; blank = 1) → the EU Frequency code meaning exactly that
EU_FREQUENCIES = {
    ("ปี", 1): "ANNUAL", ("ปี", 2): "BIENNIAL", ("ปี", 3): "TRIENNIAL",
    ("ครึ่งปี", 1): "ANNUAL_2", ("ไตรมาส", 1): "QUARTERLY",
    ("เดือน", 1): "MONTHLY", ("เดือน", 2): "BIMONTHLY",
    ("สัปดาห์", 1): "WEEKLY", ("สัปดาห์", 2): "BIWEEKLY", ("วัน", 1): "DAILY",
    ("ตามเวลาจริง", 1): "UPDATE_CONT",
    ("ไม่มีการปรับปรุงหลังจากการจัดเก็บข้อมูล", 1): "NEVER",
    ("ไม่ทราบ", 1): "UNKNOWN",
}
FREQUENCY_OF_CODE = {EU_FREQUENCY[code]: key for key, code in EU_FREQUENCIES.items()}
# Codes that are no period: their interval is read back blank (others as a number, 1 too)
NO_PERIOD = {EU_FREQUENCY["UPDATE_CONT"], EU_FREQUENCY["NEVER"], EU_FREQUENCY["UNKNOWN"]}

# thai_gdc field → the predicate of its chosen-value nodes, and their class
CHOICE_TERMS = {
    "data_type": (DCT.type, SKOS.Concept),
    "objective": (PROV.wasGeneratedBy, PROV.Activity),
    "geo_coverage": (DCT.spatial, DCT.Location),
    "data_format": (DCT["format"], DCT.MediaTypeOrExtent),
    "data_category": (DCT.rights, DCT.RightsStatement),
}
# Extras DCAT-AP's parser makes of the nodes above → the thai_gdc field that replaces each
# (an extra stays when its field was not read: a DCAT source that is not this profile's)
REPLACED_EXTRAS = {"frequency": "update_frequency_unit", "dcat_type": "data_type",
                   "provenance": "data_source", "access_rights": "data_category",
                   "contact_name": "maintainer", "contact_email": "maintainer_email",
                   "spatial_text": "geo_coverage", "spatial_uri": "geo_coverage"}


def text(value: Any) -> Literal:
    """A free text tagged with its language: Thai when it holds Thai script, else English."""
    value = str(value)
    return Literal(value, lang="th" if THAI_SCRIPT.search(value) else "en")


def _interval(value: Any) -> int | None:
    text_value = str(value or "").strip()
    return int(text_value) if text_value.isdigit() and int(text_value) > 0 else None


def _licence_url(licence: str) -> str:
    """The licence's web address in CKAN's licence register, or ""."""
    entry = model.Package.get_license_register().get(licence)
    return str(getattr(entry, "url", "") or "") if entry else ""


def _licence_of_url(url: str) -> str:
    register = model.Package.get_license_register()
    return next((key for key, entry in register.items() if entry.url and entry.url == url), "")


class DGAProfile(RDFProfile):
    """Writes the DGA items (see the module's table) and reads them back."""

    # ------------------------------------------------------------ writing

    def graph_from_dataset(self, dataset_dict: dict[str, Any], dataset_ref: URIRef) -> None:
        self.g.bind("prov", PROV)
        self._tag_languages(dataset_ref, (DCT.title, DCT.description, DCAT.keyword))
        for distribution in self.g.objects(dataset_ref, DCAT.distribution):
            self._tag_languages(distribution, (DCT.title, DCT.description))
        for field, (predicate, rdf_class) in CHOICE_TERMS.items():
            self._choices(dataset_dict, dataset_ref, field, predicate, rdf_class)
        self._frequency(dataset_dict, dataset_ref)
        self._provenance(dataset_dict, dataset_ref)
        self._access_rights(dataset_dict, dataset_ref)
        self._licence(dataset_dict, dataset_ref)
        self._source(dataset_dict, dataset_ref)

    def graph_from_catalog(self, catalog_dict: dict[str, Any], catalog_ref: URIRef) -> None:
        self._tag_languages(catalog_ref, (DCT.title,))
        self.g.remove((catalog_ref, DCT.description, None))
        for value, lang in ((config.dcat_catalog_description(), "th"),
                            (config.dcat_catalog_description_en(), "en")):
            if value:
                self.g.add((catalog_ref, DCT.description, Literal(value, lang=lang)))
        self._catalog_publisher(catalog_ref)
        self.g.remove((catalog_ref, DCT.language, None))
        for code in config.dcat_catalog_languages():
            self.g.add((EU_LANGUAGE[code], RDF.type, DCT.LinguisticSystem))
            self.g.add((catalog_ref, DCT.language, EU_LANGUAGE[code]))

    def _tag_languages(self, subject: Node, predicates: Iterable[URIRef]) -> None:
        for predicate in predicates:
            for value in list(self.g.objects(subject, predicate)):
                if isinstance(value, Literal) and not value.language and not value.datatype:
                    self.g.remove((subject, predicate, value))
                    self.g.add((subject, predicate, text(value)))

    def _catalog_publisher(self, catalog_ref: URIRef) -> None:
        uri = config.dcat_publisher_uri()
        publisher = URIRef(uri) if uri else BNode()
        self.g.add((publisher, RDF.type, FOAF.Agent))
        for value, lang in ((config.dcat_publisher_name(), "th"),
                            (config.dcat_publisher_name_en(), "en")):
            if value:
                self.g.add((publisher, FOAF.name, Literal(value, lang=lang)))
        self.g.add((catalog_ref, DCT.publisher, publisher))

    def _values(self, dataset_dict: dict[str, Any], field: str) -> list[str]:
        value = self._get_dataset_value(dataset_dict, field)
        if std.field(field).form == "multi":
            return as_list(value)
        return [value] if str(value or "").strip() else []

    def _describe(self, node: Node, dataset_dict: dict[str, Any], field: str, value: str,
                  rdf_class: URIRef) -> None:
        """The node's class, the stored value as its notation, the standard's labels and
        the อื่นๆ text."""
        self.g.add((node, RDF.type, rdf_class))
        self.g.add((node, SKOS.notation, Literal(value)))
        choice = next((c for c in std.choices(field) if c.value == value), None)
        if choice is not None:
            self.g.add((node, SKOS.prefLabel, Literal(choice.label_th, lang="th")))
            self.g.add((node, SKOS.prefLabel, Literal(choice.label_en, lang="en")))
        definition = std.field(field)
        if definition.other_field and value == definition.other_value:
            other = self._get_dataset_value(dataset_dict, definition.other_field)
            if other:
                self.g.add((node, RDFS.comment, text(other)))

    def _choices(self, dataset_dict: dict[str, Any], dataset_ref: URIRef, field: str,
                 predicate: URIRef, rdf_class: URIRef) -> None:
        for value in self._values(dataset_dict, field):
            node = BNode()
            self._describe(node, dataset_dict, field, value, rdf_class)
            self.g.add((dataset_ref, predicate, node))

    def _frequency(self, dataset_dict: dict[str, Any], dataset_ref: URIRef) -> None:
        interval = _interval(self._get_dataset_value(dataset_dict, "update_frequency_interval"))
        for unit in self._values(dataset_dict, "update_frequency_unit"):
            code = EU_FREQUENCIES.get((unit, interval or 1))
            node: Node
            if code:
                node = EU_FREQUENCY[code]
                self.g.add((node, RDF.type, DCT.Frequency))
            else:
                node = BNode()
                self._describe(node, dataset_dict, "update_frequency_unit", unit, DCT.Frequency)
                if interval is not None:
                    self.g.add((node, RDF.value, Literal(interval, datatype=XSD.integer)))
            self.g.add((dataset_ref, DCT.accrualPeriodicity, node))

    def _provenance(self, dataset_dict: dict[str, Any], dataset_ref: URIRef) -> None:
        source = self._get_dataset_value(dataset_dict, "data_source")
        if str(source or "").strip():
            node = BNode()
            self.g.add((node, RDF.type, DCT.ProvenanceStatement))
            self.g.add((node, RDFS.label, text(source)))
            self.g.add((dataset_ref, DCT.provenance, node))

    def _access_rights(self, dataset_dict: dict[str, Any], dataset_ref: URIRef) -> None:
        for category in self._values(dataset_dict, "data_category"):
            right = PUBLIC if std.is_public_category(category) else NON_PUBLIC
            self.g.add((right, RDF.type, DCT.RightsStatement))
            self.g.add((dataset_ref, DCT.accessRights, right))

    def _licence(self, dataset_dict: dict[str, Any], dataset_ref: URIRef) -> None:
        for licence in self._values(dataset_dict, "license_id"):
            url = _licence_url(licence)
            node = URIRef(url) if url else BNode()
            self._describe(node, dataset_dict, "license_id", licence, DCT.LicenseDocument)
            self.g.add((dataset_ref, DCT.license, node))
            for distribution in self.g.objects(dataset_ref, DCAT.distribution):
                if (distribution, DCT.license, None) not in self.g:
                    self.g.add((distribution, DCT.license, node))

    def _source(self, dataset_dict: dict[str, Any], dataset_ref: URIRef) -> None:
        source = str(self._get_dataset_value(dataset_dict, "reference_url_catalog") or "").strip()
        if source.startswith(("http://", "https://")):
            self.g.add((dataset_ref, DCT.source, URIRef(source)))

    # ------------------------------------------------------------ reading

    def parse_dataset(self, dataset_dict: dict[str, Any], dataset_ref: URIRef) -> dict[str, Any]:
        extras = {e["key"]: e["value"] for e in dataset_dict.get("extras", [])}
        for field, (predicate, _rdf_class) in CHOICE_TERMS.items():
            self._read_choices(dataset_dict, dataset_ref, field, predicate)
        self._read_frequency(dataset_dict, dataset_ref)
        self._read_licence(dataset_dict, dataset_ref)
        if not dataset_dict.get("data_category") and \
                (dataset_ref, DCT.accessRights, PUBLIC) in self.g:
            dataset_dict["data_category"] = sorted(std.public_categories())[0]
        provenance = self.g.value(dataset_ref, DCT.provenance)
        if provenance is not None and self.g.value(provenance, RDFS.label) is not None:
            dataset_dict["data_source"] = str(self.g.value(provenance, RDFS.label))
        for field, extra in (("maintainer", "contact_name"), ("maintainer_email", "contact_email")):
            if extras.get(extra):
                dataset_dict[field] = extras[extra]
        dataset_dict["extras"] = [e for e in dataset_dict.get("extras", []) if not (
            e["key"] in REPLACED_EXTRAS and dataset_dict.get(REPLACED_EXTRAS[e["key"]]))]
        return dataset_dict

    def _notations(self, subject: Node, predicate: URIRef) -> list[tuple[Node, str]]:
        return [(node, str(notation)) for node in self.g.objects(subject, predicate)
                for notation in self.g.objects(node, SKOS.notation)]

    def _read_other(self, dataset_dict: dict[str, Any], field: str,
                    nodes: list[tuple[Node, str]]) -> None:
        definition = std.field(field)
        for node, value in nodes:
            comment = self.g.value(node, RDFS.comment)
            if definition.other_field and value == definition.other_value and comment:
                dataset_dict[definition.other_field] = str(comment)

    def _read_choices(self, dataset_dict: dict[str, Any], dataset_ref: URIRef, field: str,
                      predicate: URIRef) -> None:
        nodes = self._notations(dataset_ref, predicate)
        if not nodes:
            return
        if std.field(field).form == "multi":
            # RDF keeps no order: the standard's list order
            order = [c.value for c in std.choices(field)]
            dataset_dict[field] = sorted({value for _node, value in nodes}, key=lambda v: (
                order.index(v) if v in order else len(order), v))
        else:
            dataset_dict[field] = nodes[0][1]
        self._read_other(dataset_dict, field, nodes)

    def _read_frequency(self, dataset_dict: dict[str, Any], dataset_ref: URIRef) -> None:
        node = self.g.value(dataset_ref, DCT.accrualPeriodicity)
        if node in FREQUENCY_OF_CODE:
            unit, interval = FREQUENCY_OF_CODE[node]
            dataset_dict["update_frequency_unit"] = unit
            dataset_dict["update_frequency_interval"] = "" if node in NO_PERIOD else str(interval)
            return
        nodes = self._notations(dataset_ref, DCT.accrualPeriodicity)
        if nodes:
            dataset_dict["update_frequency_unit"] = nodes[0][1]
            value = self.g.value(nodes[0][0], RDF.value)
            dataset_dict["update_frequency_interval"] = str(value) if value is not None else ""
            self._read_other(dataset_dict, "update_frequency_unit", nodes)

    def _read_licence(self, dataset_dict: dict[str, Any], dataset_ref: URIRef) -> None:
        nodes = self._notations(dataset_ref, DCT.license)
        if nodes:
            dataset_dict["license_id"] = nodes[0][1]
            self._read_other(dataset_dict, "license_id", nodes)
            return
        licence = self.g.value(dataset_ref, DCT.license)
        if isinstance(licence, URIRef) and _licence_of_url(str(licence)):
            dataset_dict["license_id"] = _licence_of_url(str(licence))
