"""Each dataset's results, stored with the dataset, and the KPI read from them.

Below the dashboards and above the rules (``standard``, ``kpi``, ``quality``): the index
hook scores a dataset dict (``store``), the bulk rebuild rescores a catalog (``rebuild``),
the KPI's other inputs and its daily snapshots are read here (``reads``), the KPI summaries
are cached per profile version (``kpi_cache``), and the search facets and badges come from
the stored results (``facets``). ``ckan mofcompliance profile new|check`` is ``cli``.
"""
