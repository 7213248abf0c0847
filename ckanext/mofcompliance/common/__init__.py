"""Small shared pieces that know nothing of compliance: dates as pages show them
(``dates``), the CSRF check of this extension's forms (``csrf``) and the progress of long
commands (``progress``)."""
