"""Small shared pieces the feature packages use: dates as pages show them
(``dates``), the CSRF check of this extension's forms (``csrf``), the progress of long
commands (``progress``) and the deadline of an outbound request (``deadline``)."""
