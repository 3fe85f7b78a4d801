"""Shared fixtures: a real `rolecall serve` on a loopback port, and an AWS
environment isolated from the developer's own setup."""

import os
import pathlib
import queue
import subprocess
import threading

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
BANNER = "rolecall listening on http://127.0.0.1:"
START_TIMEOUT = 10  # seconds

# Default scenario facts.
MANAGEMENT_ACCOUNT = "111111111111"
INVITED_ACCOUNT = "222222222222"
CREATED_ACCOUNT = "333333333333"
DISCOVERY_USER_ARN = "arn:aws:iam::111111111111:user/discovery"
DISCOVERY_KEY = "AKIAIOSFODNN7EXAMPLE"
DISCOVERY_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
WRONG_SECRET = "wrongSecretwrongSecretwrongSecretwrongSe"
UNKNOWN_KEY = "AKIAUNKNOWNEXAMPLE01"
ROLE_NAME = "OrganizationAccountAccessRole"
ASSUMED_ROLE_ARN = (
    "arn:aws:sts::333333333333:assumed-role/OrganizationAccountAccessRole/discovery"
)
CREATED_US_EAST_1 = [
    "i-03330000000000001",
    "i-03330000000000002",
    "i-03330000000000003",
    "i-03330000000000004",
    "i-03330000000000005",
]
CREATED_EU_WEST_1 = ["i-03330000000000e01", "i-03330000000000e02"]

# (HTTP status, error code, message) of the default scenario's refused calls.
ACCESS_DENIED_INVITED = (
    403,
    "AccessDenied",
    "User: arn:aws:iam::111111111111:user/discovery is not authorized to perform: "
    "sts:AssumeRole on resource: arn:aws:iam::222222222222:role/OrganizationAccountAccessRole",
)
UNAUTHORIZED_DESCRIBE = (
    403,
    "UnauthorizedOperation",
    "You are not authorized to perform this operation. User: "
    "arn:aws:iam::111111111111:user/discovery is not authorized to perform: "
    "ec2:DescribeInstances because no identity-based policy allows the "
    "ec2:DescribeInstances action",
)
AUTH_FAILURE = (401, "AuthFailure", "AWS was not able to validate the provided access credentials")
INVALID_TOKEN_UNKNOWN_KEY = (
    403,
    "InvalidClientTokenId",
    "The security token included in the request is invalid.",
)
INVALID_TOKEN_ALTERED = (
    403,
    "InvalidClientTokenId",
    "The security token included in the request is invalid",
)
SIGNATURE_MISMATCH = (
    403,
    "SignatureDoesNotMatch",
    "The request signature we calculated does not match the signature you provided. "
    "Check your AWS Secret Access Key and signing method. Consult the service "
    "documentation for details.",
)


def role_arn(account):
    return f"arn:aws:iam::{account}:role/{ROLE_NAME}"


def alter_middle(token):
    """Changes one character in the middle of a token, keeping its alphabet."""
    mid = len(token) // 2
    return token[:mid] + ("B" if token[mid] == "A" else "A") + token[mid + 1 :]


def rolecall_bin():
    return os.environ.get("ROLECALL_BIN") or str(REPO / "target" / "debug" / "rolecall")


def clean_environ():
    """The process environment without any AWS_* variable."""
    return {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}


def isolated_aws_env(home):
    """Environment variables that keep a client away from any real AWS setup."""
    home = pathlib.Path(home)
    config = home / "aws-config"
    credentials = home / "aws-credentials"
    config.touch()
    credentials.touch()
    return {
        "HOME": str(home),
        "AWS_CONFIG_FILE": str(config),
        "AWS_SHARED_CREDENTIALS_FILE": str(credentials),
        "AWS_MAX_ATTEMPTS": "1",
        "AWS_EC2_METADATA_DISABLED": "true",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_REGION": "us-east-1",
    }


class Server:
    def __init__(self, home, scenario=None):
        binary = rolecall_bin()
        if not os.path.isfile(binary):
            pytest.fail(
                f"rolecall binary not found at {binary} "
                "(build it with `cargo build -p rolecall` or set ROLECALL_BIN)"
            )
        env = clean_environ()
        env["HOME"] = str(home)
        self.output = []
        args = [binary, "serve", "--listen", "127.0.0.1:0"]
        if scenario is not None:
            args += ["--scenario", str(REPO / "scenarios" / scenario)]
        self.proc = subprocess.Popen(
            args,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            env=env,
            text=True,
        )
        first = queue.Queue()

        def drain():
            for i, line in enumerate(self.proc.stdout):
                line = line.rstrip("\n")
                if i == 0:
                    first.put(line)
                self.output.append(line)
            first.put(None)

        threading.Thread(target=drain, daemon=True).start()
        try:
            line = first.get(timeout=START_TIMEOUT)
        except queue.Empty:
            self.stop()
            pytest.fail(f"rolecall printed nothing within {START_TIMEOUT} s")
        if line is None or not line.startswith(BANNER) or not line[len(BANNER) :].isdigit():
            self.stop()
            pytest.fail(f"first stdout line is {line!r}, expected '{BANNER}PORT'")
        self.endpoint = line[len("rolecall listening on ") :]

    def stop(self):
        if self.proc.poll() is None:
            self.proc.kill()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    srv = Server(tmp_path_factory.mktemp("server-home"))
    yield srv
    srv.stop()


@pytest.fixture(autouse=True)
def aws_env(monkeypatch, tmp_path):
    """Every test gets a private HOME, empty AWS config files and one attempt per call."""
    for name in list(os.environ):
        if name.startswith("AWS_"):
            monkeypatch.delenv(name)
    env = isolated_aws_env(tmp_path)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return env
