"""The platform's own keys and its providers' credentials, as Secrets Manager secrets created empty.

CloudFormation creates a secret with no value (no version at all) when it is given neither
``SecretString`` nor ``GenerateSecretString``; CDK's ``Secret`` always adds the latter (a random
password), so it is removed from each. The operator then fills each secret once, from a JSON file kept
out of the repository, and again to rotate it:

    aws secretsmanager put-secret-value --secret-id booking-<stage>-<name> --secret-string file://<name>.json

Their shapes (what ``chalicelib`` reads):

- ``booking-<stage>-jwt``: ``{"active_kid": "2026-11", "keys": {"2026-11": "<64 random bytes, base64>"}}``,
  the access tokens' HS256 keys. A key:
  ``python -c "import base64,os; print(base64.b64encode(os.urandom(64)).decode())"`` (``urandom(32)`` for
  Google's token keys).
- ``booking-<stage>-stripe``: ``{"api_key": "rk_live_...", "webhook_secret": "whsec_..."}``, a restricted key
  and the webhook endpoint's signing secret.
- ``booking-<stage>-whatsapp``: ``{"app_secret": "...", "verify_token": "..."}`` of the platform's Meta app
  (the webhook's signature key, and the token Meta echoes when it subscribes the webhook).
- ``booking-<stage>-google``: ``{"client_id": "...", "client_secret": "...", "token_keys": {"<kid>": "<32
  random bytes, base64>"}, "token_key_id": "<kid>"}``, the OAuth client and the AES-GCM keys that seal the
  stored calendar tokens.

None rotates on a schedule here (cdk-nag SMG4): the Stripe, Meta and Google credentials are issued by them
and rolled in their consoles, then put here; the platform's own keys rotate by adding a key id (below).
A warm function reads a secret at most ``SECRETS_TTL_S`` (5 minutes) late.
"""
from __future__ import annotations

from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_secretsmanager as secretsmanager
from constructs import Construct

from booking_infra.stage import Stage

# Why each one is not rotated by Secrets Manager: the reason its SMG4 suppression carries.
NOT_ROTATED_HERE = {
    "jwt": "the JWT signing keys rotate by adding a new key id under keys, making it active_kid, and removing "
           "the old one once the tokens it signed have expired (ACCESS_TOKEN_TTL_S, 15 minutes, plus "
           "SECRETS_TTL_S): a rotation Lambda replacing the value would invalidate every live session at once",
    "stripe": "the restricted API key and the webhook signing secret are issued by Stripe and rolled in its "
              "dashboard (which keeps the old one valid for a while); the operator then puts the new value",
    "whatsapp": "the Meta app secret and the webhook verify token are issued or registered at Meta and changed "
                "there first; the operator then puts the new value",
    "google": "the OAuth client secret is issued by Google Cloud and rolled there; the token-sealing keys rotate "
              "by adding a key id to token_keys and making it token_key_id, old ones kept while stored tokens "
              "are sealed with them",
}


class SecretsStack(cdk.Stack):
    """``.jwt``, ``.stripe``, ``.whatsapp``, ``.google``: ``booking-<stage>-<name>``, empty until filled;
    ``.edge``, generated."""

    def __init__(self, scope: Construct, construct_id: str, *, stage: Stage, **kwargs: Any) -> None:
        super().__init__(scope, construct_id, **kwargs)
        self.jwt = self._empty(stage, "jwt", "Access-token signing keys {active_kid, keys}")
        self.stripe = self._empty(stage, "stripe", "Stripe restricted key and webhook secret {api_key, webhook_secret}")
        self.whatsapp = self._empty(stage, "whatsapp",
                                    "Meta app secret and webhook verify token {app_secret, verify_token}")
        self.google = self._empty(stage, "google", "Google OAuth client and token-sealing keys "
                                                   "{client_id, client_secret, token_keys, token_key_id}")

        # Ours alone, so generated: CloudFront sends it to the API with every /api request, which is how the
        # API knows the viewer's address CloudFront adds is CloudFront's (chalicelib/core/rate_limit.py).
        self.edge = secretsmanager.Secret(
            self, "Edge", secret_name=stage.name_of("edge"),
            description="Sent by CloudFront to the API: proves a request came through the distribution",
            generate_secret_string=secretsmanager.SecretStringGenerator(
                password_length=48, exclude_punctuation=True, include_space=False),
            removal_policy=cdk.RemovalPolicy.DESTROY)
        cdk.Validations.of(self.edge).acknowledge(cdk.Acknowledgment(
            id="AwsSolutions-SMG4", reason="CloudFront and the API receive its value at deploy (a dynamic "
                                           "reference), so a rotation would not reach them: change it with a "
                                           "new value and a deploy."))

    def _empty(self, stage: Stage, name: str, description: str) -> secretsmanager.ISecret:
        secret = secretsmanager.Secret(
            self, name.capitalize(), secret_name=stage.name_of(name), description=description,
            # prod: what the operator put there outlives the stack (a lost JWT key logs everyone out).
            removal_policy=cdk.RemovalPolicy.RETAIN if stage.production else cdk.RemovalPolicy.DESTROY)
        # No GenerateSecretString, no SecretString: created with no value, filled by put-secret-value.
        secret.node.default_child.add_property_deletion_override("GenerateSecretString")
        cdk.Validations.of(secret).acknowledge(cdk.Acknowledgment(id="AwsSolutions-SMG4",
                                                                  reason=NOT_ROTATED_HERE[name]))
        return secret
