"""The AWS CLI v1 against the real `rolecall` binary, default scenario.

Every test runs twice: with `--endpoint-url`, and with the endpoint taken from
the AWS_ENDPOINT_URL environment variable. Credentials reach the CLI through
AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN."""

import pytest

from aws_clients import cli_credentials, cli_error_text, cli_failure, cli_message, ok_json, run_cli
from conftest import (
    ACCESS_DENIED_INVITED,
    ASSUMED_ROLE_ARN,
    AUTH_FAILURE,
    CREATED_ACCOUNT,
    CREATED_EU_WEST_1,
    CREATED_US_EAST_1,
    DISCOVERY_KEY,
    DISCOVERY_SECRET,
    DISCOVERY_USER_ARN,
    INVALID_TOKEN_ALTERED,
    INVALID_TOKEN_UNKNOWN_KEY,
    INVITED_ACCOUNT,
    MANAGEMENT_ACCOUNT,
    SIGNATURE_MISMATCH,
    UNAUTHORIZED_DESCRIBE,
    UNKNOWN_KEY,
    WRONG_SECRET,
    alter_middle,
    role_arn,
)

DISCOVERY = (DISCOVERY_KEY, DISCOVERY_SECRET, None)


@pytest.fixture(params=["--endpoint-url", "AWS_ENDPOINT_URL"])
def aws(request, server, aws_env):
    """Runner: aws(args, creds, debug=False) -> CompletedProcess."""
    mode = request.param

    def run(args, creds, debug=False):
        env = dict(aws_env, **cli_credentials(*creds))
        if mode == "--endpoint-url":
            return run_cli(args, env, endpoint_url=server.endpoint, debug=debug)
        env["AWS_ENDPOINT_URL"] = server.endpoint
        return run_cli(args, env, debug=debug)

    return run


def service_error(proc, operation):
    """(HTTP status, code, message) of a call run with --debug that failed on its one request."""
    statuses, code, message = cli_failure(proc, operation)
    assert len(statuses) == 1, statuses
    return statuses[0], code, message


def assume_role_args(account):
    """The CLI arguments of AssumeRole into OrganizationAccountAccessRole of `account`."""
    role = role_arn(account)
    return ["sts", "assume-role", "--role-arn", role, "--role-session-name", "discovery"]


def assume_created(aws):
    return ok_json(aws(assume_role_args(CREATED_ACCOUNT), DISCOVERY))


def ids_of(out):
    return sorted(
        instance["InstanceId"]
        for reservation in out["Reservations"]
        for instance in reservation["Instances"]
    )


# 1 ---------------------------------------------------------------------------


def test_get_caller_identity_as_discovery_user(aws):
    out = ok_json(aws(["sts", "get-caller-identity"], DISCOVERY))
    assert out["Account"] == MANAGEMENT_ACCOUNT
    assert out["Arn"] == DISCOVERY_USER_ARN
    assert out["UserId"].startswith("AIDA")


# 2 ---------------------------------------------------------------------------


def test_assume_role_then_describe_instances(aws):
    out = assume_created(aws)
    c = out["Credentials"]
    assert c["AccessKeyId"].startswith("ASIA")
    assert c["SecretAccessKey"]
    assert c["SessionToken"]
    assert c["Expiration"]
    assert out["AssumedRoleUser"]["Arn"] == ASSUMED_ROLE_ARN
    assert out["AssumedRoleUser"]["AssumedRoleId"].startswith("AROA")
    assert out["AssumedRoleUser"]["AssumedRoleId"].endswith(":discovery")

    creds = (c["AccessKeyId"], c["SecretAccessKey"], c["SessionToken"])
    who = ok_json(aws(["sts", "get-caller-identity"], creds))
    assert who["Arn"] == ASSUMED_ROLE_ARN
    assert who["Account"] == CREATED_ACCOUNT

    us = ok_json(aws(["ec2", "describe-instances"], creds))
    assert ids_of(us) == CREATED_US_EAST_1
    eu = ok_json(aws(["ec2", "describe-instances", "--region", "eu-west-1"], creds))
    assert ids_of(eu) == CREATED_EU_WEST_1


# 3 ---------------------------------------------------------------------------


def test_assume_role_into_invited_member_is_access_denied(aws):
    proc = aws(assume_role_args(INVITED_ACCOUNT), DISCOVERY, debug=True)
    assert service_error(proc, "AssumeRole") == ACCESS_DENIED_INVITED


def test_access_denied_text_on_stderr(aws):
    proc = aws(assume_role_args(INVITED_ACCOUNT), DISCOVERY)
    assert cli_error_text(proc) == cli_message("AssumeRole", ACCESS_DENIED_INVITED)


# 4 ---------------------------------------------------------------------------


def test_discovery_user_cannot_describe_instances(aws):
    proc = aws(["ec2", "describe-instances"], DISCOVERY, debug=True)
    assert service_error(proc, "DescribeInstances") == UNAUTHORIZED_DESCRIBE


# 5a --------------------------------------------------------------------------


def test_ec2_with_unknown_key_is_auth_failure(aws):
    proc = aws(
        ["ec2", "describe-instances"], (UNKNOWN_KEY, DISCOVERY_SECRET, None), debug=True
    )
    assert service_error(proc, "DescribeInstances") == AUTH_FAILURE


# 6 ---------------------------------------------------------------------------


def test_sts_with_unknown_key_is_invalid_client_token_id(aws):
    proc = aws(
        ["sts", "get-caller-identity"], (UNKNOWN_KEY, DISCOVERY_SECRET, None), debug=True
    )
    assert service_error(proc, "GetCallerIdentity") == INVALID_TOKEN_UNKNOWN_KEY


def test_sts_with_wrong_secret_is_signature_does_not_match(aws):
    proc = aws(
        ["sts", "get-caller-identity"], (DISCOVERY_KEY, WRONG_SECRET, None), debug=True
    )
    assert service_error(proc, "GetCallerIdentity") == SIGNATURE_MISMATCH


def test_sts_with_altered_session_token_is_invalid_client_token_id(aws):
    c = assume_created(aws)["Credentials"]
    creds = (c["AccessKeyId"], c["SecretAccessKey"], alter_middle(c["SessionToken"]))
    proc = aws(["sts", "get-caller-identity"], creds, debug=True)
    assert service_error(proc, "GetCallerIdentity") == INVALID_TOKEN_ALTERED
