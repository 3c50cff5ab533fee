"""The VPC the in-VPC functions, the database and its proxy live in.

Private subnets in two AZs (RDS multi-AZ and the proxy need two) with a NAT gateway only for what has no
VPC endpoint: Stripe, Google and the Meta Graph API (WhatsApp) are on the internet. Everything AWS the
functions call is reached through an endpoint instead (S3 through a free gateway endpoint; Secrets
Manager, SQS, SES, EventBridge and KMS through interface endpoints), so that traffic stays off the NAT
and its per-GB charge. Public subnets exist only to hold the NAT gateways.
"""
from __future__ import annotations

from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_logs as logs
from constructs import Construct

from booking_infra.stage import Stage

HTTPS = ec2.Port.tcp(443)

# The AWS APIs the functions call, each by the interface endpoint's construct id. SES: `EMAIL` is the
# SESv2 API over HTTPS (com.amazonaws.<region>.email) that the mail backend calls; `EMAIL_SMTP` would be
# the SMTP relay, which nothing here speaks.
INTERFACE_ENDPOINTS = {
    "SecretsManager": ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER,
    "Sqs": ec2.InterfaceVpcEndpointAwsService.SQS,
    "Ses": ec2.InterfaceVpcEndpointAwsService.EMAIL,
    "Events": ec2.InterfaceVpcEndpointAwsService.EVENTBRIDGE,
    "Kms": ec2.InterfaceVpcEndpointAwsService.KMS,
}


class NetworkStack(cdk.Stack):
    """``.vpc``; ``.functions_sg``, the security group of the in-VPC Lambdas that call third parties
    (egress 443 anywhere: the endpoints, and the NAT; the Data stack adds egress 5432 to the proxy);
    ``.internal_sg``, the other in-VPC Lambdas' (443 to the endpoints only, and the proxy); ``.endpoint_sg``, the interface endpoints' group, which
    accepts 443 from the functions and from whatever the Data stack lets in (the proxy, the rotation
    functions: they call Secrets Manager, which private DNS resolves to the endpoint)."""

    def __init__(self, scope: Construct, construct_id: str, *, stage: Stage, **kwargs: Any) -> None:
        super().__init__(scope, construct_id, **kwargs)
        self.vpc = ec2.Vpc(
            self, "Vpc",
            vpc_name=stage.name_of("vpc"),
            ip_addresses=ec2.IpAddresses.cidr("10.0.0.0/16"),
            max_azs=2,
            # prod: one per AZ, so an AZ outage does not cut the other AZ's functions off the internet.
            nat_gateways=stage.nat_gateways,
            subnet_configuration=[
                ec2.SubnetConfiguration(name="nat", subnet_type=ec2.SubnetType.PUBLIC, cidr_mask=26),
                # Room for every concurrent in-VPC Lambda's ENI, the proxy's and the endpoints'.
                ec2.SubnetConfiguration(name="private", subnet_type=ec2.SubnetType.PRIVATE_WITH_EGRESS,
                                        cidr_mask=20),
            ],
            # Every resource here is given its own group; restricting the unused default one would cost a
            # custom-resource Lambda (and its role) in every deploy for nothing that runs in it.
            restrict_default_security_group=False,
        )
        self._flow_logs(stage)

        self.functions_sg = ec2.SecurityGroup(
            self, "FunctionsSg", vpc=self.vpc, allow_all_outbound=False,
            security_group_name=stage.name_of("functions"),
            description="In-VPC Lambdas: HTTPS out (endpoints, NAT); the Data stack adds 5432 to the proxy")
        self.functions_sg.add_egress_rule(
            ec2.Peer.any_ipv4(), HTTPS, "AWS endpoints, and Stripe, Google and Meta through the NAT")

        self.endpoint_sg = ec2.SecurityGroup(
            self, "EndpointSg", vpc=self.vpc, allow_all_outbound=False,
            security_group_name=stage.name_of("endpoints"),
            description="Interface endpoints: HTTPS in from the functions (and the proxy, the rotations)")
        self.endpoint_sg.add_ingress_rule(self.functions_sg, HTTPS, "in-VPC Lambdas")
        # The functions with no third party to call (the sweeps of the outbox, reminders and retention, the
        # migrations): the AWS endpoints and the proxy only, never the NAT.
        self.internal_sg = ec2.SecurityGroup(
            self, "InternalSg", vpc=self.vpc, allow_all_outbound=False,
            security_group_name=stage.name_of("internal-functions"),
            description="In-VPC Lambdas without the internet: the endpoints; the Data stack adds the proxy")
        self.internal_sg.add_egress_rule(self.endpoint_sg, HTTPS, "AWS endpoints")
        self.endpoint_sg.add_ingress_rule(self.internal_sg, HTTPS, "in-VPC Lambdas without the internet")

        private = ec2.SubnetSelection(subnet_type=ec2.SubnetType.PRIVATE_WITH_EGRESS)
        self.vpc.add_gateway_endpoint("S3", service=ec2.GatewayVpcEndpointAwsService.S3, subnets=[private])
        for name, service in INTERFACE_ENDPOINTS.items():
            # open=False: CDK would otherwise let the whole VPC CIDR in on 443.
            self.vpc.add_interface_endpoint(name, service=service, subnets=private, open=False,
                                            security_groups=[self.endpoint_sg], private_dns_enabled=True)

    def _flow_logs(self, stage: Stage) -> None:
        """Every accepted and rejected flow, to CloudWatch Logs (cdk-nag VPC7): what answers "what did
        this function talk to" after the fact. An L1 log group, because its retention is the stage's
        number of days, which the L2's RetentionDays enum cannot take as a number."""
        log_group = logs.CfnLogGroup(self, "FlowLogs", log_group_name=f"/vpc/{stage.name_of('flow-logs')}",
                                     retention_in_days=stage.log_retention_days)
        self.vpc.add_flow_log("FlowLog", destination=ec2.FlowLogDestination.to_cloud_watch_logs(log_group),
                              traffic_type=ec2.FlowLogTrafficType.ALL)
