"""The floors of the house, lowest first. An app imports only from its own floor or below, and
no two modules import each other, however indirectly (`core/tests/test_layers.py` checks both)."""

LAYERS: tuple[tuple[str, ...], ...] = (
    ("core",),
    ("org",),
    ("ingest", "notify"),
    ("plans",),
    ("reports", "scoring", "surveys", "initiatives", "inspections", "province_requests"),
    ("oversight",),  # the province's view across every domain of its communes
    ("cchc",),  # settings, URLs and the API root put every app together
)

FLOOR: dict[str, int] = {app: floor for floor, apps in enumerate(LAYERS) for app in apps}
