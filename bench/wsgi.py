"""The catalog as a WSGI application for gunicorn: ``CKAN_INI`` names its config."""
import os

from ckan.cli import CKANConfigLoader
from ckan.config.middleware import make_app

application = make_app(CKANConfigLoader(os.environ["CKAN_INI"]).get_config())
