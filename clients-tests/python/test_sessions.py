"""Sessions and time with boto3 and the AWS CLI v1, on `scenarios/role-chaining-one-hour.yaml`:
discovery (111111111111) assumes Hop (222222222222, MaxSessionDuration 7200), which assumes
Inventory (333333333333): role chaining, capped at one hour.

Chaining is driven two ways: explicit AssumeRole calls, and an AWS config file whose profiles
chain with `role_arn` + `source_profile`. Profile chaining follows only `AWS_ENDPOINT_URL` (a
client-level endpoint does not reach the AssumeRole calls the credential chain makes), so the
profile tests set it.

The scenario freezes the emulator's clock at 2026-01-01T00:00:00Z. Credentials expire on that
clock, but STS reports their Expiration in the client's time (the wall clock plus the time they
have left), as AWS never issues credentials already expired by the client's clock: boto3 and
the CLI would refuse them ("Credentials were refreshed, but the refreshed credentials are still
expired."). The profile tests set the emulator's clock to the wall clock anyway, so that both
clocks agree; moving it an hour on then expires the credentials for the emulator while the
clients still hold them as valid, which is what a long discovery run meets on AWS."""

import datetime
import json
import pathlib
import re
import urllib.request

import boto3
import pytest
from botocore.exceptions import ClientError

from aws_clients import (
    boto3_client,
    cli_credentials,
    cli_error_text,
    cli_failure,
    cli_message,
    error_of,
    ok_json,
    run_cli,
    session_keys,
)
from conftest import DISCOVERY_KEY, DISCOVERY_SECRET, Server

SCENARIO = "role-chaining-one-hour.yaml"
DISCOVERY_ARN = "arn:aws:iam::111111111111:user/discovery"
HOP = "arn:aws:iam::222222222222:role/Hop"
INVENTORY = "arn:aws:iam::333333333333:role/Inventory"
HUB_INSTANCES = ["i-02220000000000001"]
WORKLOAD_INSTANCES = ["i-03330000000000001", "i-03330000000000002"]

CHAINING_LIMIT = (
    400,
    "ValidationError",
    "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by "
    "role chaining.",
)
EXPIRED_TOKEN = (403, "ExpiredToken", "The security token included in the request is expired")
REQUEST_EXPIRED = (400, "RequestExpired", "Request has expired.")

HTTP_TIMEOUT = 10  # seconds, admin endpoint calls


@pytest.fixture
def server(tmp_path_factory):
    """A fresh server per test: the tests move its clock."""
    srv = Server(tmp_path_factory.mktemp("server-home"), SCENARIO)
    yield srv
    srv.stop()


# The emulator's clock -------------------------------------------------------------------


def clock(endpoint, change=None):
    """GET (or POST `change` to) /_rolecall/clock; returns the answer's JSON."""
    data = None if change is None else json.dumps(change).encode()
    request = urllib.request.Request(
        f"{endpoint}/_rolecall/clock",
        data=data,
        method="GET" if change is None else "POST",
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=HTTP_TIMEOUT) as response:
        assert response.status == 200
        return json.loads(response.read())


def advance_clock(endpoint, seconds):
    before = parse_time(clock(endpoint)["clock"])
    after = clock(endpoint, {"advance_seconds": seconds})
    assert parse_time(after["clock"]) - before == datetime.timedelta(seconds=seconds)
    assert after["frozen"] is True


def advance_clock_by(endpoint, seconds):
    """Moves a clock that is not frozen (the default scenario's) on by `seconds`."""
    before = parse_time(clock(endpoint)["clock"])
    after = parse_time(clock(endpoint, {"advance_seconds": seconds})["clock"])
    assert after - before >= datetime.timedelta(seconds=seconds)


def clock_to_wall_time(endpoint):
    now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    answer = clock(endpoint, {"set": now.strftime("%Y-%m-%dT%H:%M:%SZ")})
    assert parse_time(answer["clock"]) == now
    return now


def parse_time(text):
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))


# boto3 -------------------------------------------------------------------------------------


def client(service, endpoint, creds=None, region="us-east-1"):
    """A client as the discovery user, or with the session `creds` when given."""
    keys = (DISCOVERY_KEY, DISCOVERY_SECRET) if creds is None else session_keys(creds)
    return boto3_client(service, endpoint, *keys, region=region)


def instance_ids(out):
    return sorted(i["InstanceId"] for r in out["Reservations"] for i in r["Instances"])


def assume(sts, role, name, **kwargs):
    return sts.assume_role(RoleArn=role, RoleSessionName=name, **kwargs)


def check_assumed(out, account, role, name, lifetime):
    creds = out["Credentials"]
    assert creds["AccessKeyId"].startswith("ASIA")
    assert len(creds["SecretAccessKey"]) == 40
    assert creds["SessionToken"]
    assert_expires_in(creds["Expiration"], lifetime)
    user = out["AssumedRoleUser"]
    assert user["Arn"] == f"arn:aws:sts::{account}:assumed-role/{role}/{name}"
    assert re.fullmatch(rf"AROA[A-Z0-9]{{17}}:{name}", user["AssumedRoleId"]), user
    return creds


def assert_expires_in(expiration, lifetime):
    """`expiration` is `lifetime` seconds from now by the wall clock, give or take the test's
    own running time."""
    if isinstance(expiration, str):
        expiration = parse_time(expiration)
    ahead = (expiration - datetime.datetime.now(datetime.timezone.utc)).total_seconds()
    assert lifetime - 30 <= ahead <= lifetime, f"Expiration {expiration} is {ahead} s ahead"


def test_explicit_assume_role_chain_through_two_roles(server):
    sts = client("sts", server.endpoint)
    assert sts.get_caller_identity()["Arn"] == DISCOVERY_ARN

    hop = check_assumed(assume(sts, HOP, "hop"), "222222222222", "Hop", "hop", 3600)
    who = client("sts", server.endpoint, hop).get_caller_identity()
    assert who["Arn"] == "arn:aws:sts::222222222222:assumed-role/Hop/hop"
    assert who["Account"] == "222222222222"
    assert instance_ids(client("ec2", server.endpoint, hop).describe_instances()) == HUB_INSTANCES

    out = assume(client("sts", server.endpoint, hop), INVENTORY, "inventory")
    chained = check_assumed(out, "333333333333", "Inventory", "inventory", 3600)
    who = client("sts", server.endpoint, chained).get_caller_identity()
    assert who["Arn"] == "arn:aws:sts::333333333333:assumed-role/Inventory/inventory"
    assert who["Account"] == "333333333333"
    assert who["UserId"] == out["AssumedRoleUser"]["AssumedRoleId"]
    listed = client("ec2", server.endpoint, chained).describe_instances()
    assert instance_ids(listed) == WORKLOAD_INSTANCES


def test_explicit_chained_duration_over_an_hour_is_refused(server):
    sts = client("sts", server.endpoint)
    # The first hop is not chained: up to Hop's MaxSessionDuration, two hours.
    hop = check_assumed(
        assume(sts, HOP, "hop", DurationSeconds=7200), "222222222222", "Hop", "hop", 7200
    )
    hop_sts = client("sts", server.endpoint, hop)
    refused = error_of(assume, hop_sts, INVENTORY, "inventory", DurationSeconds=7200)
    assert refused == CHAINING_LIMIT
    # Exactly one hour is allowed.
    out = assume(hop_sts, INVENTORY, "inventory", DurationSeconds=3600)
    check_assumed(out, "333333333333", "Inventory", "inventory", 3600)


def test_explicit_chained_credentials_expire_after_an_hour(server):
    sts = client("sts", server.endpoint)
    hop = assume(sts, HOP, "hop", DurationSeconds=7200)["Credentials"]
    chained = assume(client("sts", server.endpoint, hop), INVENTORY, "inventory")["Credentials"]
    chained_sts = client("sts", server.endpoint, chained)
    chained_ec2 = client("ec2", server.endpoint, chained)
    assert instance_ids(chained_ec2.describe_instances()) == WORKLOAD_INSTANCES

    advance_clock(server.endpoint, 3599)
    assert chained_sts.get_caller_identity()["Account"] == "333333333333"
    advance_clock(server.endpoint, 2)

    assert error_of(chained_sts.get_caller_identity) == EXPIRED_TOKEN
    assert error_of(chained_ec2.describe_instances) == REQUEST_EXPIRED
    # A chained AssumeRole with the dead credentials is refused the same way.
    assert error_of(assume, chained_sts, INVENTORY, "again") == EXPIRED_TOKEN

    # The two-hour first hop lives on, on STS and EC2, and may chain again for a fresh hour.
    hop_sts = client("sts", server.endpoint, hop)
    who = hop_sts.get_caller_identity()
    assert who["Arn"] == "arn:aws:sts::222222222222:assumed-role/Hop/hop"
    hub = client("ec2", server.endpoint, hop).describe_instances()
    assert instance_ids(hub) == HUB_INSTANCES
    again = assume(hop_sts, INVENTORY, "inventory")
    check_assumed(again, "333333333333", "Inventory", "inventory", 3600)


def test_a_first_hop_with_the_default_duration_expires_too(server):
    hop = assume(client("sts", server.endpoint), HOP, "hop")["Credentials"]
    advance_clock(server.endpoint, 3601)
    assert error_of(client("sts", server.endpoint, hop).get_caller_identity) == EXPIRED_TOKEN
    assert error_of(client("ec2", server.endpoint, hop).describe_instances) == REQUEST_EXPIRED


def test_expired_session_credentials_on_every_service(tmp_path_factory):
    """GetSessionToken credentials of the default scenario's discovery user, who may read the
    organization: once expired, each service answers in its own protocol's words."""
    srv = Server(tmp_path_factory.mktemp("server-home"))
    try:
        out = client("sts", srv.endpoint).get_session_token(DurationSeconds=900)
        creds = out["Credentials"]
        org = client("organizations", srv.endpoint, creds)
        assert len(org.list_accounts()["Accounts"]) == 3
        advance_clock_by(srv.endpoint, 901)
        assert error_of(client("sts", srv.endpoint, creds).get_caller_identity) == EXPIRED_TOKEN
        assert error_of(client("ec2", srv.endpoint, creds).describe_regions) == REQUEST_EXPIRED
        assert error_of(org.list_accounts) == (
            400,
            "ExpiredTokenException",
            "The security token included in the request is expired",
        )
    finally:
        srv.stop()


# Profiles ----------------------------------------------------------------------------------


def write_profiles(aws_env, chained_duration=None):
    """An AWS config file: `base` (the discovery user's keys), `hop` (Hop for two hours,
    from base) and `chained` (Inventory, from hop); returns its path."""
    chained_extra = (
        f"duration_seconds = {chained_duration}\n" if chained_duration is not None else ""
    )
    text = (
        "[profile base]\n"
        f"aws_access_key_id = {DISCOVERY_KEY}\n"
        f"aws_secret_access_key = {DISCOVERY_SECRET}\n"
        "region = us-east-1\n"
        "\n"
        "[profile hop]\n"
        f"role_arn = {HOP}\n"
        "source_profile = base\n"
        "role_session_name = hop-profile\n"
        "duration_seconds = 7200\n"
        "region = us-east-1\n"
        "\n"
        "[profile chained]\n"
        f"role_arn = {INVENTORY}\n"
        "source_profile = hop\n"
        "role_session_name = chained-profile\n"
        f"{chained_extra}"
        "region = us-east-1\n"
    )
    path = pathlib.Path(aws_env["AWS_CONFIG_FILE"])
    path.write_text(text)
    return path


@pytest.fixture
def profiles(server, aws_env, monkeypatch):
    """Profile chaining set up for boto3: config file written, AWS_ENDPOINT_URL set."""
    monkeypatch.setenv("AWS_ENDPOINT_URL", server.endpoint)

    def write(chained_duration=None):
        write_profiles(aws_env, chained_duration)

    write()
    return write


def profile_session(name):
    return boto3.session.Session(profile_name=name)


def test_profile_chain_into_the_first_and_second_role(server, profiles):
    now = clock_to_wall_time(server.endpoint)
    hop = profile_session("hop")
    who = hop.client("sts").get_caller_identity()
    assert who["Arn"] == "arn:aws:sts::222222222222:assumed-role/Hop/hop-profile"
    frozen = hop.get_credentials().get_frozen_credentials()
    assert frozen.access_key.startswith("ASIA")
    # boto3 sent the profile's duration_seconds: the emulator granted two hours.
    expiry = hop.get_credentials()._expiry_time
    assert expiry == now + datetime.timedelta(seconds=7200)

    chained = profile_session("chained")
    sts = chained.client("sts")
    assert sts.meta.endpoint_url == server.endpoint
    who = sts.get_caller_identity()
    assert who["Arn"] == "arn:aws:sts::333333333333:assumed-role/Inventory/chained-profile"
    assert who["Account"] == "333333333333"
    assert chained.get_credentials()._expiry_time == now + datetime.timedelta(seconds=3600)
    assert instance_ids(chained.client("ec2").describe_instances()) == WORKLOAD_INSTANCES


def test_profile_chain_with_duration_over_an_hour_is_refused(server, profiles):
    clock_to_wall_time(server.endpoint)
    profiles(chained_duration=7200)
    sts = profile_session("chained").client("sts")
    # The credential chain's own AssumeRole call fails; boto3 raises its ClientError.
    with pytest.raises(ClientError) as raised:
        sts.get_caller_identity()
    assert raised.value.operation_name == "AssumeRole"
    response = raised.value.response
    assert (
        response["ResponseMetadata"]["HTTPStatusCode"],
        response["Error"]["Code"],
        response["Error"]["Message"],
    ) == CHAINING_LIMIT


def test_profile_chained_credentials_expire_after_an_hour(server, profiles):
    clock_to_wall_time(server.endpoint)
    chained = profile_session("chained")
    hop = profile_session("hop")
    chained_sts, chained_ec2 = chained.client("sts"), chained.client("ec2")
    hop_sts, hop_ec2 = hop.client("sts"), hop.client("ec2")
    assert chained_sts.get_caller_identity()["Account"] == "333333333333"
    assert hop_sts.get_caller_identity()["Account"] == "222222222222"

    advance_clock(server.endpoint, 3601)

    # By the client's clock the chained credentials have an hour left, so it sends them.
    assert error_of(chained_sts.get_caller_identity) == EXPIRED_TOKEN
    assert error_of(chained_ec2.describe_instances) == REQUEST_EXPIRED
    # The two-hour first hop still works.
    assert hop_sts.get_caller_identity()["Arn"] == (
        "arn:aws:sts::222222222222:assumed-role/Hop/hop-profile"
    )
    assert instance_ids(hop_ec2.describe_instances()) == HUB_INSTANCES


# The AWS CLI v1 ----------------------------------------------------------------------------


@pytest.fixture
def cli(server, aws_env):
    """Runner: cli(args, profile=None, creds=None, debug=False) -> CompletedProcess, with the
    endpoint from AWS_ENDPOINT_URL (the only one profile chaining follows)."""

    def run(args, profile=None, creds=None, debug=False):
        env = dict(aws_env, AWS_ENDPOINT_URL=server.endpoint)
        if creds is not None:
            env.update(cli_credentials(*session_keys(creds)))
        return run_cli(args, env, profile=profile, debug=debug)

    return run


def cli_error(proc, operation):
    """(last HTTP status seen, code, message) of a failed call run with --debug."""
    statuses, code, message = cli_failure(proc, operation)
    assert statuses, "no HTTP status in the debug log"
    return statuses[-1], code, message


def test_cli_profile_chain_into_the_first_and_second_role(server, cli, aws_env):
    clock_to_wall_time(server.endpoint)
    write_profiles(aws_env)
    who = ok_json(cli(["sts", "get-caller-identity"], profile="hop"))
    assert who["Arn"] == "arn:aws:sts::222222222222:assumed-role/Hop/hop-profile"
    who = ok_json(cli(["sts", "get-caller-identity"], profile="chained"))
    assert who["Arn"] == "arn:aws:sts::333333333333:assumed-role/Inventory/chained-profile"
    assert who["Account"] == "333333333333"
    assert who["UserId"].startswith("AROA") and who["UserId"].endswith(":chained-profile")
    listed = ok_json(cli(["ec2", "describe-instances"], profile="chained"))
    assert instance_ids(listed) == WORKLOAD_INSTANCES


def test_cli_explicit_chain_and_duration_over_an_hour_is_refused(server, cli, aws_env):
    write_profiles(aws_env)
    to_hop = ["sts", "assume-role", "--role-arn", HOP, "--role-session-name", "hop"]
    hop = ok_json(cli(to_hop + ["--duration-seconds", "7200"], profile="base"))
    # The CLI prints the timestamp as STS sent it: in the client's time.
    assert_expires_in(hop["Credentials"]["Expiration"], 7200)
    assert hop["AssumedRoleUser"]["Arn"] == "arn:aws:sts::222222222222:assumed-role/Hop/hop"
    creds = hop["Credentials"]
    args = ["sts", "assume-role", "--role-arn", INVENTORY, "--role-session-name", "inventory"]
    refused = cli(args + ["--duration-seconds", "7200"], creds=creds)
    assert cli_error_text(refused) == cli_message("AssumeRole", CHAINING_LIMIT)
    debug = cli(args + ["--duration-seconds", "7200"], creds=creds, debug=True)
    assert cli_error(debug, "AssumeRole") == CHAINING_LIMIT

    chained = ok_json(cli(args, creds=creds))
    assert_expires_in(chained["Credentials"]["Expiration"], 3600)
    assert chained["AssumedRoleUser"]["Arn"] == (
        "arn:aws:sts::333333333333:assumed-role/Inventory/inventory"
    )


def test_cli_profile_chain_with_duration_over_an_hour_is_refused(server, cli, aws_env):
    clock_to_wall_time(server.endpoint)
    write_profiles(aws_env, chained_duration=7200)
    proc = cli(["sts", "get-caller-identity"], profile="chained")
    assert cli_error_text(proc) == cli_message("AssumeRole", CHAINING_LIMIT)
    debug = cli(["sts", "get-caller-identity"], profile="chained", debug=True)
    assert cli_error(debug, "AssumeRole") == CHAINING_LIMIT


def test_cli_profile_chained_credentials_expire_after_an_hour(server, cli, aws_env):
    clock_to_wall_time(server.endpoint)
    write_profiles(aws_env)
    # The first runs resolve both profiles and leave their credentials in the CLI's cache.
    assert ok_json(cli(["sts", "get-caller-identity"], profile="chained"))["Account"] == (
        "333333333333"
    )
    assert ok_json(cli(["sts", "get-caller-identity"], profile="hop"))["Account"] == (
        "222222222222"
    )
    cache = pathlib.Path(aws_env["HOME"]) / ".aws" / "cli" / "cache"
    assert len(list(cache.glob("*.json"))) >= 2

    advance_clock(server.endpoint, 3601)

    proc = cli(["sts", "get-caller-identity"], profile="chained")
    assert cli_error_text(proc) == cli_message("GetCallerIdentity", EXPIRED_TOKEN)
    debug = cli(["sts", "get-caller-identity"], profile="chained", debug=True)
    assert cli_error(debug, "GetCallerIdentity") == EXPIRED_TOKEN
    debug = cli(["ec2", "describe-instances"], profile="chained", debug=True)
    assert cli_error(debug, "DescribeInstances") == REQUEST_EXPIRED
    # The cached two-hour first hop still works.
    who = ok_json(cli(["sts", "get-caller-identity"], profile="hop"))
    assert who["Arn"] == "arn:aws:sts::222222222222:assumed-role/Hop/hop-profile"
