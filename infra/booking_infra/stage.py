"""A stage's operator settings (infra/stages.json): what differs between dev and prod, and the names
every stack derives its resources' names from."""
from __future__ import annotations

import json
from dataclasses import dataclass
from email.utils import parseaddr
from pathlib import Path

from aws_cdk import aws_logs as logs

# The periods CloudWatch Logs accepts that a stage may choose, as CDK names them.
_RETENTION = {7: "ONE_WEEK", 14: "TWO_WEEKS", 30: "ONE_MONTH", 60: "TWO_MONTHS", 90: "THREE_MONTHS",
              180: "SIX_MONTHS", 365: "ONE_YEAR"}
STAGES_FILE = Path(__file__).resolve().parent.parent / "stages.json"


@dataclass(frozen=True)
class Stage:
    name: str
    region: str
    domain: str
    certificate_arn: str
    email_from: str
    alarm_email: str
    # Deletion protection, multi-AZ, retained data, X-Ray: what a stage holding customers' bookings needs.
    production: bool
    db_instance_class: str
    nat_gateways: int
    log_retention_days: int

    @classmethod
    def load(cls, name: str, path: Path = STAGES_FILE) -> Stage:
        stages = {k: v for k, v in json.loads(path.read_text()).items() if not k.startswith("_")}
        if name not in stages:
            raise SystemExit(f"unknown stage {name!r}: infra/stages.json has {', '.join(sorted(stages))}")
        return cls(name=name, **stages[name])

    def name_of(self, part: str) -> str:
        """``booking-<stage>-<part>``: the one naming scheme, which the IAM checks rely on (a stage's grants
        never match another stage's names)."""
        return f"booking-{self.name}-{part}"

    @property
    def log_retention(self) -> logs.RetentionDays:
        if self.log_retention_days not in _RETENTION:
            raise SystemExit(f"log_retention_days must be one of {sorted(_RETENTION)}")
        return getattr(logs.RetentionDays, _RETENTION[self.log_retention_days])

    @property
    def app_url(self) -> str:
        return f"https://{self.domain}"

    @property
    def api_url(self) -> str:
        """The API behind the same origin as the web app: CloudFront routes /api/* to API Gateway, whose
        stage is called ``api``, so no CORS preflight is needed in the browser."""
        return f"{self.app_url}/api"

    @property
    def mail_domain(self) -> str:
        return parseaddr(self.email_from)[1].split("@")[1]
