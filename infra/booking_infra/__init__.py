"""The platform's AWS resources as CDK stacks, one per concern (see infra/cdk_app.py for their order)."""
