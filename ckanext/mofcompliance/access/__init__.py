"""Who sees what: the dashboards' scope (``scope``) and thai_gdc's private resources withheld
from readers (``private_resources``). Low in the house: the actions, the dashboards and the
checker's actions read it; it imports none of them."""
