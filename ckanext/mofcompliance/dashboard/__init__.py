"""The compliance dashboards: the site and organisation pages (``views``), their CSV/XLSX
exports, the steward's to-do list, the job that refreshes the KPI summaries (``summaries``)
and the reminder mails (``reminders``)."""
