"""สมุดงาน NSO (Template 2/3) / The NSO catalog workbooks: import and export.

* ``settings`` — the configurable limits and defaults
* ``layout``   — the sheets and columns, read from the standard's single definition
* ``cells``    — one cell ↔ one field value (B.E. dates, choices, formula neutralisation)
* ``workbook`` — opening an uploaded file safely (size, zip and macro checks)
* ``reader``   — rows → package dicts, with every problem by sheet, row and column
* ``importer`` — the dry run and the all-or-nothing commit, through CKAN's own actions
* ``writer``   — the streamed export of what the requesting user may read
* ``jobs``     — staged uploads, background runs and their progress
* ``cli``      — ``ckan mofcompliance import|export``
* ``views``    — the upload page and the downloads
"""
