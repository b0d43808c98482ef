"""Staff space: sign-in, the CIP's learners and follow-up, assignments, exports, kiosks.

The blueprint lives in blueprint.py; each concern has its own module on it (the direction's
pages in structure.py, the personal-data pages in learner_data.py, "Mon compte" in
account.py). Every view declares its capability with @requires.
"""

from companion.web.staff import (  # noqa: F401 - each module registers its views on bp
    account,
    assignments,
    attestation,
    diagnostic,
    export,
    kiosk,
    learner_data,
    learners,
    signin,
    structure,
)
from companion.web.staff.blueprint import bp

__all__ = ["bp"]
