"""มาตรฐานของ สพร. / The DGA standard: the 14 mandatory metadata items.

Pure Python: nothing here imports CKAN, so the same rules serve the extension, the
``mofcompliance-audit`` console script and anyone checking metadata outside CKAN.

* ``definition``   — the single definition of the standard (``definition.yaml``)
* ``fields``, ``values``, ``labels`` — reading a dataset's fields, their values and names
* ``completeness`` — are the 14 mandatory items filled?
* ``openness``     — open-characteristics level per indicator (rules in ``openness_rules.yaml``)
* ``json_schema``  — the standard as JSON Schema
"""
