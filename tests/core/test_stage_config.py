"""The deployment settings in .chalice/config.json, read the way `chalice deploy` reads them."""
from __future__ import annotations

import json

from chalice.config import Config

from chalicelib.core.settings import PROJECT_ROOT


def _config(stage: str, function: str) -> Config:
    on_disk = json.loads((PROJECT_ROOT / ".chalice" / "config.json").read_text())
    return Config(chalice_stage=stage, function_name=function, config_from_disk=on_disk)


def test_there_are_local_dev_and_prod_stages():
    on_disk = json.loads((PROJECT_ROOT / ".chalice" / "config.json").read_text())
    assert {"local", "dev", "prod"} <= set(on_disk["stages"])


# prod's resources (secrets, proxy, queue, subnets) are the CDK stacks' to fill in: tests/infra/test_app_stack.py
# checks them in the synthesised template. dev, which `chalice deploy` can deploy by itself, names them here.
def test_dev_reads_secrets_from_secrets_manager_and_sends_through_ses():
    env = _config("dev", "api_handler").environment_variables

    assert env["STAGE"] == "dev"
    assert env["DB_SECRET_ARN"].startswith("arn:aws:secretsmanager:")
    assert env["JWT_SECRET_ARN"].startswith("arn:aws:secretsmanager:")
    assert "proxy" in env["DB_HOST"]
    assert env["EMAIL_BACKEND"] == "ses"
    assert env["NOTIFICATIONS_QUEUE"].endswith(".fifo")
    assert "DATABASE_URL" not in env


def test_local_stage_uses_the_offline_twins():
    env = _config("local", "api_handler").environment_variables

    assert env["STAGE"] == "local" and env["EMAIL_BACKEND"] == "file"
    assert "DB_SECRET_ARN" not in env and "JWT_SECRET_ARN" not in env


def test_prod_and_dev_read_the_stripe_keys_from_their_secret_and_talk_to_stripe():
    assert _config("prod", "api_handler").environment_variables["STRIPE_BACKEND"] == "api"
    env = _config("dev", "api_handler").environment_variables

    assert env["STRIPE_BACKEND"] == "api"
    assert env["STRIPE_SECRET_ARN"] == "arn:aws:secretsmanager:eu-west-1:000000000000:secret:booking-dev-stripe"
    assert "STRIPE_API_KEY" not in env and "STRIPE_WEBHOOK_SECRET" not in env
    assert "STRIPE_API_BASE" not in env  # api.stripe.com


def test_every_stage_names_a_stripe_price_for_every_plan_interval_currency_and_overage():
    from chalicelib.billing import plans

    seen: dict[str, str] = {}
    for stage in ("local", "dev", "prod"):
        prices = json.loads(_config(stage, "api_handler").environment_variables["STRIPE_PRICES"])
        for p in plans.PLANS.values():
            for interval, currency in p.prices:
                assert prices[f"{p.key}.{interval}.{currency}"].startswith("price_"), (stage, p.key)
            for meter, amounts in p.overage.items():
                for currency in amounts:
                    assert (prices.get(f"{p.key}.overage.{meter}.{currency}")
                            or prices[f"overage.{meter}.{currency}"]).startswith("price_")
        assert set(prices["meters"]) == set(plans.METERS)
        ids = [v for k, v in prices.items() if k != "meters"]
        assert len(set(ids)) == len(ids), stage
        for price_id in ids:
            assert seen.setdefault(price_id, stage) == stage, "a price id shared by two stages"


def test_local_stage_leaves_the_stripe_backend_to_the_tests():
    # The Chalice test client lays the stage's variables over the tests' STRIPE_BACKEND=twin; the
    # default (api, against the twin server of `make run`) is what the local stage wants.
    env = _config("local", "api_handler").environment_variables

    assert "STRIPE_BACKEND" not in env and "STRIPE_SECRET_ARN" not in env
    assert env["STRIPE_API_BASE"] == "http://127.0.0.1:9200"
    assert env["STRIPE_API_KEY"].startswith("sk_test_")
