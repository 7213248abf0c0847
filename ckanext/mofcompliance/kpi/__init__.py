"""ตัวชี้วัด Data Catalog / The OPDC Data Catalog KPI, judged from the DGA standard's results.

Pure Python: nothing here imports CKAN (the ``mofcompliance-audit`` console script scores
with it too). Imports run one way: ``profile`` (the data) ← ``inputs`` ← ``criteria`` ←
``kinds`` ← ``profile_format`` ← ``profiles`` ← ``assess``, ``planner`` ← ``evaluation``.

* ``profile``         — a fiscal year's profile as data (criteria, levels, size groups)
* ``profile_format``  — reading and checking a profile file (``profiles/fy*.yaml``)
* ``profiles``        — the loaded profiles by id: the shipped ones and a site's folders
* ``profile_draft``   — the commented draft ``ckan mofcompliance profile new`` writes
* ``inputs``          — what the KPI reads: a dataset's result, an agency's plan, use cases
* ``assess``          — a dataset dict → its result under a profile
* ``criteria``, ``kinds`` — the kinds of criterion and how each is judged
* ``planner``         — the next steps towards the next level
* ``evaluation``      — an agency's score and level
"""
