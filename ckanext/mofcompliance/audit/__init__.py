"""``mofcompliance-audit``: the standard and the KPI applied to a catalog from outside CKAN.

A console script (``cli``) reading a catalog export or a live CKAN's API, with the resource
checker run against its resources (``remote``); it imports no CKAN module.
"""
