"""มาตรฐานของ สพร. และตัวชี้วัด Data Catalog / The DGA standard and the Data Catalog KPI.

Pure Python: nothing here imports CKAN, so the same engine serves the extension, the
``mofcompliance-audit`` console script and anyone checking metadata outside CKAN.

* ``definition``   — the single definition of the standard (``definition.yaml``)
* ``completeness`` — are the 14 mandatory items filled?
* ``openness``     — open-characteristics level per indicator (rules in ``openness_rules.yaml``)
* ``kpi``          — fiscal-year profiles (``profiles/*.yaml``) → score, level, next steps
* ``audit``        — the console script
"""
