"""ส่งชุดข้อมูลให้ GD Catalog / Offering datasets to NSO's GD Catalog.

* ``offer``: which datasets the GD Catalog's harvester may read (CKAN permission labels,
  so the rule holds in search, ``package_show`` and every page or export built on them);
* ``plugin``: the ``mofcompliance_gdcatalog`` plugin that wires it, with its ``action``,
  ``auth`` and ``cli`` (``ckan mofcompliance gdcatalog …``);
* ``registration``: each dataset's GD Catalog registration state, set by the action, a CSV
  import or the GD Catalog's status API (``status_api``); the state table and its reading
  for the FY2567 KPI belong to the main plugin (``model``, ``scoring``);
* ``dcat_profile``: the 14 items in ckanext-dcat's RDF output.
"""
