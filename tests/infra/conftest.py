"""The infra tests import the CDK app's package, ``booking_infra``, which lives in infra/ (not a package of
the repository's root, so that `python infra/cdk_app.py` runs as it is)."""
import sys
from pathlib import Path

INFRA = Path(__file__).resolve().parents[2] / "infra"
if str(INFRA) not in sys.path:
    sys.path.insert(0, str(INFRA))
