"""What each lost point means to a steward: code -> English message templates.

The grading returns codes and parameters only; the CKAN side renders them with
``_(template).format(**params)`` (the Thai translations are in the extension's .po).
``N_`` marks the msgids for extraction without translating them here (this module imports no CKAN);
:func:`render` fills a lost point's templates with a translation function (``tk._`` on the CKAN
side). Each code has what was ``found`` and what ``to_do``.
"""
from __future__ import annotations

from typing import Any, Callable, Iterable, Mapping, NamedTuple


def N_(msgid: str) -> str:
    """Mark a msgid for extraction; the translation happens where it is rendered."""
    return msgid


class Message(NamedTuple):
    found: str
    to_do: str


MESSAGES: Mapping[str, Message] = {
    # completeness
    "missing-title": Message(N_("The dataset has no title."), N_("Give the dataset a title.")),
    "missing-notes": Message(N_("The dataset has no description."),
                             N_("Describe the dataset.")),
    "missing-tags": Message(N_("The dataset has no keywords."), N_("Add at least one keyword.")),
    "missing-licence": Message(N_("The dataset has no licence."), N_("Choose a licence.")),
    "missing-organisation": Message(N_("The dataset belongs to no organisation."),
                                    N_("Choose the organisation responsible for the data.")),
    "missing-update-frequency": Message(
        N_("The dataset does not declare its update frequency."),
        N_("Choose the update frequency unit (item 9).")),
    "nso-does-not-read-update-frequency": Message(
        N_("NSO's system does not read thai_gdc's update frequency (item 9): every dataset "
           "loses {points} completeness points there, and its timeliness is judged by NSO's "
           "default of 180 and 365 days."),
        N_("Nothing to fix in the dataset: its update frequency is declared. The grade shows "
           "the letter NSO's system gives.")),
    # timeliness
    "timeliness-warning": Message(
        N_("{resource} was last modified {days} days ago; for a {frequency} update "
           "frequency it is due after {warning} days."),
        N_("Update the data of {resource}, or correct the declared update frequency.")),
    "timeliness-outdated": Message(
        N_("{resource} was last modified {days} days ago; for a {frequency} update "
           "frequency it is out of date after {outdated} days."),
        N_("Update the data of {resource}, or correct the declared update frequency.")),
    "timeliness-unknown": Message(
        N_("{resource} has no date of last modification."),
        N_("Update {resource} so that the catalog records when it was last modified.")),
    # accessibility and machine readability
    "not-downloadable": Message(
        N_("{resource} could not be downloaded ({problems})."),
        N_("Fix the link of {resource} so that it serves the file itself.")),
    "link-not-fetched": Message(
        N_("{resource} is a {format} link, which NSO's quality check does not download: it "
           "counts as neither downloadable nor machine-readable."),
        N_("Also publish the data of {resource} as a downloadable file, e.g. CSV.")),
    "nso-head-refused": Message(
        N_("The server of {resource} refuses the HEAD request NSO's system decides "
           "\"downloadable\" by (it accepts 200 and 206 only), though the file downloads: to "
           "NSO it is neither downloadable nor machine-readable."),
        N_("Ask the server's administrator to answer HEAD requests for {resource} as it "
           "answers downloads.")),
    "nso-format-from-url": Message(
        N_("NSO's system takes the format of {resource} from the server's content type or "
           "the link's file extension, and reads {format}, which it does not count as "
           "machine-readable."),
        N_("Name the file of {resource} with the extension of its real format (e.g. .csv), "
           "or serve it with that content type.")),
    "nso-credits-content-type": Message(
        N_("NSO's system credits {resource} as {format} by the server's content type or the "
           "link's file extension, but the file is really {real}: NSO's grade counts it as "
           "machine-readable data, though it is not."),
        N_("Publish the data of {resource} as a real {format} file, or declare and serve it "
           "as {real}.")),
    "nso-waf-page": Message(
        N_("NSO's system counts {resource} as downloadable because a web firewall set its "
           "bot-check cookies (Imperva), but the link serves a web page, not the file: "
           "programs cannot download the data."),
        N_("Ask the server's administrator to let programs download {resource} without the "
           "firewall's challenge.")),
    "unreachable-not-machine-readable": Message(
        N_("{resource} could not be downloaded, so it does not count as machine-readable."),
        N_("Fix the link of {resource}.")),
    "not-machine-readable": Message(
        N_("{resource} is {format}, which machines cannot read as data."),
        N_("Publish the data of {resource} as CSV, XLSX, JSON or XML.")),
    # validity
    "invalid-table": Message(
        N_("{resource} has {error_count} errors in its table ({errors})."),
        N_("Fix the table of {resource}: one header row with unique, non-blank names and "
           "the same number of cells in every row.")),
    "many-errors": Message(
        N_("The checked tables have {mean_errors} errors on average, more than {above}: "
           "{minus} points are taken off validity."),
        N_("Fix the tables with the most errors first.")),
    "nothing-validated": Message(
        N_("No resource could be checked as a table, so validity is {factor} times "
           "accessibility."),
        N_("Publish the data as a CSV, XLSX or JSON file that opens.")),
}

UNGRADED: Mapping[str, Message] = {
    "no-linked-resources": Message(
        N_("The dataset has no resource with a link, so it cannot be graded."),
        N_("Add a resource linking to the data file.")),
    "not-checked-yet": Message(
        N_("The dataset's resources have not been checked yet."),
        N_("Wait for the next check, or ask an administrator to check now.")),
}

# NSO's frequencies (nso_qc_rules.yaml, timeliness.frequencies) as the sentences name them.
FREQUENCIES: Mapping[str, str] = {
    "daily": N_("daily"), "weekly": N_("weekly"), "monthly": N_("monthly"),
    "quarterly": N_("quarterly"), "yearly": N_("yearly"), "other": N_("other or unknown"),
}

# The checker's problem codes (the check contract), in words.
PROBLEMS: Mapping[str, str] = {
    "dead-link": N_("the link answers with an error"),
    "timeout": N_("the server did not answer in time"),
    "refused-address": N_("the address is private or not allowed"),
    "html-instead-of-file": N_("a web page is served instead of the file"),
    "format-mismatch": N_("the file is not in its declared format"),
    "too-large": N_("the file is too large to check"),
    "unparsable": N_("the file does not open"),
    "opted-out": N_("the host asked not to be checked"),
    "too-many-redirects": N_("the link redirects too many times"),
    "bad-url": N_("the link is not a valid web address"),
    "unreachable": N_("the server cannot be reached"),
    "empty-file": N_("the file is empty"),
    "not-utf8": N_("the text is not encoded as UTF-8"),
    "tabular-errors": N_("the table has errors"),
    "checker-error": N_("the checker failed on this resource"),
    "check-timeout": N_("the file could not be read within the time a check is allowed"),
}
# What a code without words of its own (one a newer checker adds) is called.
OTHER_PROBLEM = N_("another problem")

# Table error codes (frictionless names, as the checker reports them), in words.
TABLE_ERRORS: Mapping[str, str] = {
    "blank-header": N_("blank header"), "blank-label": N_("blank header"),
    "duplicate-header": N_("duplicate header"), "duplicate-label": N_("duplicate header"),
    "extra-cell": N_("extra cells"), "missing-cell": N_("missing cells"),
    "blank-row": N_("blank rows"), "type-error": N_("wrong types"),
}


# Each lost-point code in a few words, for the problems an organisation's datasets share.
SUMMARIES: Mapping[str, str] = {
    "missing-title": N_("No title"), "missing-notes": N_("No description"),
    "missing-tags": N_("No keywords"), "missing-licence": N_("No licence"),
    "missing-organisation": N_("No organisation"),
    "missing-update-frequency": N_("No update frequency"),
    "nso-does-not-read-update-frequency": N_("Update frequency not read by NSO"),
    "timeliness-warning": N_("Data due for an update"),
    "timeliness-outdated": N_("Data out of date"),
    "timeliness-unknown": N_("No date of last modification"),
    "not-downloadable": N_("Link does not download the file"),
    "nso-credits-content-type": N_("Credited by NSO for its content type, not its content"),
    "link-not-fetched": N_("Link to an API or a web page only"),
    "nso-head-refused": N_("Server refuses NSO's HEAD request"),
    "nso-waf-page": N_("A firewall's page counted as the file by NSO"),
    "nso-format-from-url": N_("Format NSO reads from the link"),
    "unreachable-not-machine-readable": N_("Unreachable, so not machine-readable"),
    "not-machine-readable": N_("Not in a machine-readable format"),
    "invalid-table": N_("Errors in the table"),
    "many-errors": N_("Many errors in the tables"),
    "nothing-validated": N_("No file that opens as a table"),
}


def _words(codes: Iterable[str], names: Mapping[str, str],
           translate: Callable[[str], str]) -> str:
    return ", ".join(translate(names.get(c, OTHER_PROBLEM)) for c in codes)


def problem_words(code: str, translate: Callable[[str], str]) -> str:
    """A checker problem code in the reader's words (never the code itself)."""
    return translate(PROBLEMS.get(code, OTHER_PROBLEM))


def render(code: str, params: Mapping[str, Any],
           translate: Callable[[str], str] = lambda msgid: msgid) -> Message:
    """A lost point's sentences, translated by ``translate`` and filled with its parameters."""
    filled = dict(params)
    if "problems" in filled:
        filled["problems"] = _words(filled["problems"], PROBLEMS, translate)
    if "errors" in filled:
        filled["errors"] = _words(filled["errors"], TABLE_ERRORS, translate)
    if "frequency" in filled:
        filled["frequency"] = translate(FREQUENCIES.get(filled["frequency"], filled["frequency"]))
    message = MESSAGES.get(code) or UNGRADED[code]
    return Message(translate(message.found).format(**filled),
                   translate(message.to_do).format(**filled))


def summary(code: str, translate: Callable[[str], str] = lambda msgid: msgid) -> str:
    """A lost-point code in a few words (the code itself when it has none)."""
    return translate(SUMMARIES[code]) if code in SUMMARIES else code
