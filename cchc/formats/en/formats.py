# English keeps the Vietnamese date order (dd/mm/yyyy) and uses its own number separators.
from cchc.formats.vi.formats import *  # noqa: F403

DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
