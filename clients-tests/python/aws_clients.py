"""How the suites drive the real clients at rolecall: boto3 clients and the error a boto3 call
raises, and AWS CLI v1 runs with what they print."""

import json
import pathlib
import re
import subprocess
import sys

import boto3
import pytest
from botocore.exceptions import ClientError

from conftest import clean_environ

# boto3 -------------------------------------------------------------------------------------


def boto3_client(service, endpoint, key, secret, token=None, region="us-east-1"):
    """A boto3 client with these keys, sending to `endpoint`."""
    return boto3.session.Session(
        aws_access_key_id=key,
        aws_secret_access_key=secret,
        aws_session_token=token,
        region_name=region,
    ).client(service, endpoint_url=endpoint)


def session_keys(creds):
    """(key, secret, token) of the `Credentials` an STS call returned."""
    return creds["AccessKeyId"], creds["SecretAccessKey"], creds["SessionToken"]


def error_of(call, *args, **kwargs):
    """(HTTP status, code, message) of the ClientError the call raises."""
    with pytest.raises(ClientError) as raised:
        call(*args, **kwargs)
    response = raised.value.response
    return (
        response["ResponseMetadata"]["HTTPStatusCode"],
        response["Error"]["Code"],
        response["Error"]["Message"],
    )


# The AWS CLI v1 ----------------------------------------------------------------------------

# The CLI installed beside this interpreter (clients-tests/.venv/bin/aws).
AWS = str(pathlib.Path(sys.executable).parent / "aws")
CLI_TIMEOUT = 60  # seconds, per invocation
# AWS CLI v1 exits 255 when a call fails with a service error.
SERVICE_ERROR_EXIT = 255
# A request's line in the `--debug` log, with the HTTP status of its answer.
STATUS_LINE = re.compile(r'"POST / HTTP/1\.1" (\d{3}) ')
LAST_LINE = re.compile(r"An error occurred \((\w+)\) when calling the (\w+) operation: (.*)")


def run_cli(args, env, endpoint_url=None, profile=None, debug=False, timeout=CLI_TIMEOUT):
    """Runs `aws --output json [--endpoint-url URL] [--profile NAME] [--debug] ARGS` with the
    process environment, without its AWS_* variables, plus `env`."""
    options = ["--output", "json"]
    if endpoint_url is not None:
        options += ["--endpoint-url", endpoint_url]
    if profile is not None:
        options += ["--profile", profile]
    if debug:
        options.append("--debug")
    return subprocess.run(
        [AWS] + options + list(args),
        env={**clean_environ(), **env},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def cli_credentials(key, secret, token=None):
    """The environment variables that hand the CLI these keys."""
    env = {"AWS_ACCESS_KEY_ID": key, "AWS_SECRET_ACCESS_KEY": secret}
    if token is not None:
        env["AWS_SESSION_TOKEN"] = token
    return env


def ok_json(proc):
    """The parsed output of a CLI run that succeeded."""
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout)


def http_statuses(proc):
    """The HTTP statuses of the requests a CLI run with --debug made, in order."""
    return [int(s) for s in STATUS_LINE.findall(proc.stderr)]


def assert_service_error_exit(proc):
    """The CLI run failed with a service error, and printed nothing on stdout."""
    assert proc.returncode == SERVICE_ERROR_EXIT, (proc.returncode, proc.stderr[-2000:])
    assert proc.stdout == ""


def cli_error_text(proc):
    """What a CLI run that failed with a service error printed on stderr (stripped)."""
    assert_service_error_exit(proc)
    return proc.stderr.strip()


def cli_message(operation, error):
    """The line the CLI prints for `error`, (HTTP status, code, message), of `operation`."""
    _, code, message = error
    return f"An error occurred ({code}) when calling the {operation} operation: {message}"


def cli_failure(proc, operation):
    """(HTTP statuses seen, code, message) of a CLI run with --debug that failed with a service
    error of `operation`."""
    assert_service_error_exit(proc)
    last = [line for line in proc.stderr.splitlines() if line.strip()][-1]
    m = LAST_LINE.fullmatch(last)
    assert m, f"unexpected last stderr line: {last!r}"
    assert m.group(2) == operation
    return http_statuses(proc), m.group(1), m.group(3)
