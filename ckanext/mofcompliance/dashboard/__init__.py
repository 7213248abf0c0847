"""The compliance dashboards: the site and organisation pages (``views``), their CSV/XLSX
exports, the steward's to-do list, and the stored KPI summaries behind them
(``kpi_cache``, refreshed by ``summaries`` after writes and in jobs)."""
