"""What an operator runs a site with: the job worker on the extension's queues and
``ckan mofcompliance doctor``."""
