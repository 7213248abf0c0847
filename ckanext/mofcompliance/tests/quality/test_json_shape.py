"""A JSON over 1 MB is judged by its shape (``checker/jsonshape.py``): it must be as valid
or invalid as ``json.loads`` finds the text, and count the same top-level values, however
its flat objects and arrays are folded away."""
import json

import pytest

from ckanext.mofcompliance.quality.checker.jsonshape import SHAPE_ONLY, validate_json

PAD = b" " * SHAPE_ONLY      # trailing white space: the same JSON, read by its shape

TEXTS = [
    b'[[1,2],[3]]', b'{"a":{"b":[1,2]}}', b'[{"a":1},{"b":"x"}]', b'{"a":"b","c":"d"}',
    b'[[]]', b'[{}]', b'[]', b'{}', b'"x"', b'1', b'[true, null, NaN, -Infinity]',
    b'{"a": [1, {"b": [true]}], "c": {}}', b'[{"a":[1,2,{"c":3}]}]', b'["a", "b" , "c"]',
    # invalid, and must stay so once folded
    b'{"a": 1, 2}', b'["a\n[0,\n0]"]', b'[1,]', b'[,1]', b'{"a" 1}', b'[-{"a":1}]',
    b'[1.{"a":2}]', b'[1e{"a":2}]', b'{{"a":1}: 2}', b'{[1]:2}', b'[{"a":1}{"b":2}]',
    b'[01]', b'--10', b'11.5e31.5e3', b'[[1] [2]]', b'[1 2]', b'{"a":1,}', b'["x\x01"]',
]


@pytest.mark.parametrize("text", TEXTS)
def test_the_shape_is_as_valid_as_the_text(text):
    try:
        value = json.loads(text)
        expected = (True, len(value) if isinstance(value, list) else 1)
    except ValueError:
        expected = (False, 0)
    found = validate_json(text + PAD, "utf-8")
    assert (found["valid"], found["rows_checked"]) == expected
