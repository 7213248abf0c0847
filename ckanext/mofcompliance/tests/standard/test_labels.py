"""A field's names and its bilingual messages, split again for the page's language."""
from ckanext.mofcompliance.standard import definition as std
from ckanext.mofcompliance.standard.labels import message, split_message


def test_a_message_of_the_standard_splits_into_its_thai_and_english():
    email = std.field("maintainer_email", "dataset")
    text = message(email, "รูปแบบอีเมลไม่ถูกต้อง / ตัวอย่าง a@b.go.th", "not a valid e-mail address")
    assert split_message(email, text) == (
        "ข้อ 5 อีเมลผู้ติดต่อ: รูปแบบอีเมลไม่ถูกต้อง / ตัวอย่าง a@b.go.th",
        "Item 5 Contact e-mail: not a valid e-mail address")


def test_another_text_is_not_split():
    email = std.field("maintainer_email", "dataset")
    assert split_message(email, "That URL is already in use.") is None
    other = message(std.field("title", "dataset"), "ต้องระบุ", "required")
    assert split_message(email, other) is None
