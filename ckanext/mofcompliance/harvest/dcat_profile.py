"""ข้อ 14 รายการใน DCAT / The DGA's 14 items in ckanext-dcat's RDF output.

Add ``mofcompliance_dga`` after a DCAT-AP profile (``ckanext.dcat.rdf.profiles =
euro_dcat_ap_3 mofcompliance_dga``). The DCAT-AP profile already writes items 2 title,
3 publisher (the organisation), 4-5 contact point, 6 keywords and 7 description; this one
adds the items DCAT-AP has a term for but ckanext-dcat does not fill from thai_gdc fields:

====  =======================  ==========================  =============================
item  thai_gdc field           DCAT / DCAT-AP term         node
====  =======================  ==========================  =============================
1     data_type                dct:type                    skos:Concept
8     objective                prov:wasGeneratedBy         prov:Activity, one per value
9     update_frequency_unit    dct:accrualPeriodicity      dct:Frequency (+ rdf:value =
      + _interval                                          9.2, skos:exactMatch EU code)
10    geo_coverage             dct:spatial                 dct:Location
11    data_source              dct:provenance              dct:ProvenanceStatement
12    data_format              dct:format                  dct:MediaTypeOrExtent per value
13    data_category            dct:accessRights            dct:RightsStatement (+ EU code)
14    license_id               dct:license                 dct:LicenseDocument
====  =======================  ==========================  =============================

Beside the items, thai_gdc's ``reference_url_catalog`` (the dataset's page in the catalog it
is taken from) is ``dct:source``, DCAT-AP's "a related dataset from which the described
dataset is derived", when it is a web address.

A chosen value is a node carrying the stored thai_gdc value byte-identical as
``skos:notation`` and its labels from the standard as ``skos:prefLabel`` (``@th``, ``@en``);
the ``<field>_other`` text of อื่นๆ is its ``rdfs:comment``. Objective is
prov:wasGeneratedBy because DCAT-AP defines that property as "an activity that ... provides
the business context for the creation of the dataset", which is what the objective
(strategy, plan, law, mission) records.
"""
from __future__ import annotations

from typing import Any

from rdflib import BNode, Literal, Namespace, URIRef
from rdflib.namespace import PROV, XSD

from ckanext.dcat.profiles import DCT, RDF, RDFS, SKOS, RDFProfile

from ..standard import definition as std
from ..standard.fields import as_list

EU_FREQUENCY = Namespace("http://publications.europa.eu/resource/authority/frequency/")
EU_ACCESS_RIGHT = Namespace("http://publications.europa.eu/resource/authority/access-right/")

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


def _interval(value: Any) -> int | None:
    text = str(value or "").strip()
    return int(text) if text.isdigit() and int(text) > 0 else None


class DGAProfile(RDFProfile):
    """Serialises the DGA items (see the module's table); parsing is left to DCAT-AP."""

    def graph_from_dataset(self, dataset_dict: dict[str, Any], dataset_ref: URIRef) -> None:
        self.g.bind("prov", PROV)
        self._choices(dataset_dict, dataset_ref, "data_type", DCT.type, SKOS.Concept)
        self._choices(dataset_dict, dataset_ref, "objective", PROV.wasGeneratedBy,
                      PROV.Activity)
        self._frequency(dataset_dict, dataset_ref)
        self._choices(dataset_dict, dataset_ref, "geo_coverage", DCT.spatial, DCT.Location)
        self._provenance(dataset_dict, dataset_ref)
        self._choices(dataset_dict, dataset_ref, "data_format", DCT["format"],
                      DCT.MediaTypeOrExtent)
        access = self._choices(dataset_dict, dataset_ref, "data_category", DCT.accessRights,
                               DCT.RightsStatement)
        for node, value in access:
            code = "PUBLIC" if std.is_public_category(value) else "NON_PUBLIC"
            self.g.add((node, SKOS.exactMatch, EU_ACCESS_RIGHT[code]))
        self._choices(dataset_dict, dataset_ref, "license_id", DCT.license,
                      DCT.LicenseDocument)
        self._source(dataset_dict, dataset_ref)

    def _values(self, dataset_dict: dict[str, Any], field: str) -> list[str]:
        value = self._get_dataset_value(dataset_dict, field)
        if std.field(field).form == "multi":
            return as_list(value)
        return [value] if str(value or "").strip() else []

    def _choice_node(self, dataset_dict: dict[str, Any], field: str, value: str,
                     rdf_class: URIRef) -> BNode:
        node = BNode()
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
                self.g.add((node, RDFS.comment, Literal(other)))
        return node

    def _choices(self, dataset_dict: dict[str, Any], dataset_ref: URIRef, field: str,
                 predicate: URIRef, rdf_class: URIRef) -> list[tuple[BNode, str]]:
        added = []
        for value in self._values(dataset_dict, field):
            node = self._choice_node(dataset_dict, field, value, rdf_class)
            self.g.add((dataset_ref, predicate, node))
            added.append((node, value))
        return added

    def _frequency(self, dataset_dict: dict[str, Any], dataset_ref: URIRef) -> None:
        for node, unit in self._choices(dataset_dict, dataset_ref, "update_frequency_unit",
                                        DCT.accrualPeriodicity, DCT.Frequency):
            interval = _interval(self._get_dataset_value(dataset_dict,
                                                         "update_frequency_interval"))
            if interval is not None:
                self.g.add((node, RDF.value, Literal(interval, datatype=XSD.integer)))
            code = EU_FREQUENCIES.get((unit, interval or 1))
            if code:
                self.g.add((node, SKOS.exactMatch, EU_FREQUENCY[code]))

    def _provenance(self, dataset_dict: dict[str, Any], dataset_ref: URIRef) -> None:
        source = self._get_dataset_value(dataset_dict, "data_source")
        if str(source or "").strip():
            node = BNode()
            self.g.add((node, RDF.type, DCT.ProvenanceStatement))
            self.g.add((node, RDFS.label, Literal(source)))
            self.g.add((dataset_ref, DCT.provenance, node))

    def _source(self, dataset_dict: dict[str, Any], dataset_ref: URIRef) -> None:
        source = str(self._get_dataset_value(dataset_dict, "reference_url_catalog") or "").strip()
        if source.startswith(("http://", "https://")):
            self.g.add((dataset_ref, DCT.source, URIRef(source)))
