"""The AWS CLI v1 against the real `rolecall` binary, default scenario.

Every test runs twice: with `--endpoint-url`, and with the endpoint taken from
the AWS_ENDPOINT_URL environment variable. Credentials reach the CLI through
AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN."""

import json
import pathlib
import re
import subprocess
import sys

import pytest

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
    clean_environ,
    role_arn,
)

# The CLI installed beside this interpreter (clients-tests/.venv/bin/aws).
AWS = str(pathlib.Path(sys.executable).parent / "aws")
CLI_TIMEOUT = 60  # seconds, per invocation
# AWS CLI v1 exits 255 when a call fails with a service error.
SERVICE_ERROR_EXIT = 255
STATUS_LINE = re.compile(r'"POST / HTTP/1\.1" (\d{3}) ')

DISCOVERY = (DISCOVERY_KEY, DISCOVERY_SECRET, None)


@pytest.fixture(params=["--endpoint-url", "AWS_ENDPOINT_URL"])
def aws(request, server, aws_env):
    """Runner: aws(args, creds, debug=False) -> CompletedProcess."""
    mode = request.param

    def run(args, creds, debug=False):
        key, secret, token = creds
        env = clean_environ()
        env.update(aws_env)
        env["AWS_ACCESS_KEY_ID"] = key
        env["AWS_SECRET_ACCESS_KEY"] = secret
        if token is not None:
            env["AWS_SESSION_TOKEN"] = token
        argv = [AWS, "--output", "json"]
        if mode == "--endpoint-url":
            argv += ["--endpoint-url", server.endpoint]
        else:
            env["AWS_ENDPOINT_URL"] = server.endpoint
        if debug:
            argv.append("--debug")
        return subprocess.run(
            argv + list(args),
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=CLI_TIMEOUT,
        )

    return run


def ok_json(proc):
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def service_error(proc, operation):
    """(HTTP statuses seen, code, message) of a call run with --debug that failed."""
    assert proc.returncode == SERVICE_ERROR_EXIT, (proc.returncode, proc.stderr[-2000:])
    assert proc.stdout == ""
    last = [line for line in proc.stderr.splitlines() if line.strip()][-1]
    m = re.fullmatch(
        r"An error occurred \((\w+)\) when calling the (\w+) operation: (.*)", last
    )
    assert m, f"unexpected last stderr line: {last!r}"
    assert m.group(2) == operation
    statuses = STATUS_LINE.findall(proc.stderr)
    return ([int(s) for s in statuses], m.group(1), m.group(3))


def assume_created(aws):
    return ok_json(
        aws(
            [
                "sts",
                "assume-role",
                "--role-arn",
                role_arn(CREATED_ACCOUNT),
                "--role-session-name",
                "discovery",
            ],
            DISCOVERY,
        )
    )


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
    proc = aws(
        [
            "sts",
            "assume-role",
            "--role-arn",
            role_arn(INVITED_ACCOUNT),
            "--role-session-name",
            "discovery",
        ],
        DISCOVERY,
        debug=True,
    )
    assert service_error(proc, "AssumeRole") == (
        [403],
        "AccessDenied",
        ACCESS_DENIED_INVITED,
    )


def test_access_denied_text_on_stderr(aws):
    proc = aws(
        [
            "sts",
            "assume-role",
            "--role-arn",
            role_arn(INVITED_ACCOUNT),
            "--role-session-name",
            "discovery",
        ],
        DISCOVERY,
    )
    assert proc.returncode == SERVICE_ERROR_EXIT
    assert proc.stdout == ""
    assert proc.stderr.strip() == (
        "An error occurred (AccessDenied) when calling the AssumeRole operation: "
        + ACCESS_DENIED_INVITED
    )


# 4 ---------------------------------------------------------------------------


def test_discovery_user_cannot_describe_instances(aws):
    proc = aws(["ec2", "describe-instances"], DISCOVERY, debug=True)
    assert service_error(proc, "DescribeInstances") == (
        [403],
        "UnauthorizedOperation",
        UNAUTHORIZED_DESCRIBE,
    )


# 5a --------------------------------------------------------------------------


def test_ec2_with_unknown_key_is_auth_failure(aws):
    proc = aws(
        ["ec2", "describe-instances"], (UNKNOWN_KEY, DISCOVERY_SECRET, None), debug=True
    )
    assert service_error(proc, "DescribeInstances") == ([401], "AuthFailure", AUTH_FAILURE)


# 6 ---------------------------------------------------------------------------


def test_sts_with_unknown_key_is_invalid_client_token_id(aws):
    proc = aws(
        ["sts", "get-caller-identity"], (UNKNOWN_KEY, DISCOVERY_SECRET, None), debug=True
    )
    assert service_error(proc, "GetCallerIdentity") == (
        [403],
        "InvalidClientTokenId",
        INVALID_TOKEN_UNKNOWN_KEY,
    )


def test_sts_with_wrong_secret_is_signature_does_not_match(aws):
    proc = aws(
        ["sts", "get-caller-identity"], (DISCOVERY_KEY, WRONG_SECRET, None), debug=True
    )
    assert service_error(proc, "GetCallerIdentity") == (
        [403],
        "SignatureDoesNotMatch",
        SIGNATURE_MISMATCH,
    )


def test_sts_with_altered_session_token_is_invalid_client_token_id(aws):
    c = assume_created(aws)["Credentials"]
    creds = (c["AccessKeyId"], c["SecretAccessKey"], alter_middle(c["SessionToken"]))
    proc = aws(["sts", "get-caller-identity"], creds, debug=True)
    assert service_error(proc, "GetCallerIdentity") == (
        [403],
        "InvalidClientTokenId",
        INVALID_TOKEN_ALTERED,
    )
