"""The dataset as CKAN shows it: the form's and page's order (``field_layout``), the items a
site's own schema does not enforce (``site_schema``) and the activity records of the
evidence (``evidence_activity``); datasets read in bulk as ``package_show`` shapes them
(``rows``)."""
