"""Forms submitted as a browser submits them, through CKAN's test client."""
from __future__ import annotations

import lxml.html


def form_data(html: str, form_id: str = "dataset-edit") -> dict[str, list[str]]:
    """What a browser submits from the page's form, untouched."""
    form = lxml.html.fromstring(html).get_element_by_id(form_id)
    data: dict[str, list[str]] = {}
    for name, value in form.form_values():
        data.setdefault(name, []).append(value)
    return data
