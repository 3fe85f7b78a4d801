"""boto3 against the real `rolecall` binary, default scenario.

Every test runs twice: with `endpoint_url=` on the client, and with the
endpoint taken from the AWS_ENDPOINT_URL environment variable."""

import datetime

import boto3
import botocore.loaders
import botocore.session
import pytest

from aws_clients import error_of, session_keys
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


# Parsing the EC2 service model takes about a second; share one loader (and so
# its cache of parsed models) between the sessions the tests create.
_LOADER = botocore.loaders.create_loader()


@pytest.fixture(params=["endpoint_url", "AWS_ENDPOINT_URL"])
def client(request, server, monkeypatch):
    """Factory: client(service, key, secret, token=None, region="us-east-1")."""
    mode = request.param
    if mode == "AWS_ENDPOINT_URL":
        monkeypatch.setenv("AWS_ENDPOINT_URL", server.endpoint)

    def make(service, key, secret, token=None, region="us-east-1"):
        core = botocore.session.Session()
        core.register_component("data_loader", _LOADER)
        session = boto3.session.Session(
            botocore_session=core,
            aws_access_key_id=key,
            aws_secret_access_key=secret,
            aws_session_token=token,
            region_name=region,
        )
        kwargs = {"endpoint_url": server.endpoint} if mode == "endpoint_url" else {}
        c = session.client(service, **kwargs)
        assert c.meta.endpoint_url == server.endpoint
        return c

    return make


def discovery(client, service, region="us-east-1"):
    return client(service, DISCOVERY_KEY, DISCOVERY_SECRET, region=region)


def assume_created(client):
    out = discovery(client, "sts").assume_role(
        RoleArn=role_arn(CREATED_ACCOUNT), RoleSessionName="discovery"
    )
    return out


def role_client(client, creds, service, region="us-east-1"):
    return client(service, *session_keys(creds), region=region)


def ids_of(pages):
    return [
        instance["InstanceId"]
        for page in pages
        for reservation in page["Reservations"]
        for instance in reservation["Instances"]
    ]


# 1 ---------------------------------------------------------------------------


def test_get_caller_identity_as_discovery_user(client):
    out = discovery(client, "sts").get_caller_identity()
    assert out["Account"] == MANAGEMENT_ACCOUNT
    assert out["Arn"] == DISCOVERY_USER_ARN
    assert out["UserId"].startswith("AIDA")


# 2 ---------------------------------------------------------------------------


def test_assume_role_into_created_member(client):
    out = assume_created(client)
    creds = out["Credentials"]
    assert creds["AccessKeyId"].startswith("ASIA")
    assert creds["SecretAccessKey"]
    assert creds["SessionToken"]
    ahead = creds["Expiration"] - datetime.datetime.now(datetime.timezone.utc)
    assert datetime.timedelta(minutes=50) <= ahead <= datetime.timedelta(minutes=70)
    user = out["AssumedRoleUser"]
    assert user["Arn"] == ASSUMED_ROLE_ARN
    assert user["AssumedRoleId"].startswith("AROA")
    assert user["AssumedRoleId"].endswith(":discovery")

    who = role_client(client, creds, "sts").get_caller_identity()
    assert who["Arn"] == ASSUMED_ROLE_ARN
    assert who["Account"] == CREATED_ACCOUNT


def test_role_session_describes_instances_per_region(client):
    creds = assume_created(client)["Credentials"]
    us = role_client(client, creds, "ec2", "us-east-1")
    assert sorted(ids_of([us.describe_instances()])) == CREATED_US_EAST_1
    eu = role_client(client, creds, "ec2", "eu-west-1")
    assert sorted(ids_of([eu.describe_instances()])) == CREATED_EU_WEST_1
    for reservation in us.describe_instances()["Reservations"]:
        for instance in reservation["Instances"]:
            assert instance["State"]["Name"] == "running"


def test_role_session_describes_regions(client):
    creds = assume_created(client)["Credentials"]
    regions = role_client(client, creds, "ec2").describe_regions()["Regions"]
    by_name = {r["RegionName"]: r for r in regions}
    for name in ("us-east-1", "eu-west-1"):
        assert name in by_name, regions
        assert name in by_name[name]["Endpoint"]


def test_role_session_filters_by_instance_id(client):
    creds = assume_created(client)["Credentials"]
    ec2 = role_client(client, creds, "ec2")
    out = ec2.describe_instances(
        Filters=[{"Name": "instance-id", "Values": ["i-03330000000000003"]}]
    )
    assert ids_of([out]) == ["i-03330000000000003"]


def test_role_session_pages_instances(client):
    creds = assume_created(client)["Credentials"]
    ec2 = role_client(client, creds, "ec2")
    seen = []
    kwargs = {"MaxResults": 5}
    for _ in range(10):
        page = ec2.describe_instances(**kwargs)
        ids = ids_of([page])
        assert len(ids) <= 5
        seen.extend(ids)
        if not page.get("NextToken"):
            break
        kwargs["NextToken"] = page["NextToken"]
    else:
        pytest.fail("paging did not end within 10 pages")
    assert len(seen) == len(set(seen)), seen
    assert sorted(seen) == CREATED_US_EAST_1

    paginated = ec2.get_paginator("describe_instances").paginate(
        PaginationConfig={"PageSize": 5, "MaxItems": 100}
    )
    assert sorted(ids_of(paginated)) == CREATED_US_EAST_1


# 3 ---------------------------------------------------------------------------


def test_assume_role_into_invited_member_is_access_denied(client):
    sts = discovery(client, "sts")
    assert (
        error_of(sts.assume_role, RoleArn=role_arn(INVITED_ACCOUNT), RoleSessionName="discovery")
        == ACCESS_DENIED_INVITED
    )


# 4 ---------------------------------------------------------------------------


def test_discovery_user_cannot_describe_instances(client):
    ec2 = discovery(client, "ec2")
    assert error_of(ec2.describe_instances) == UNAUTHORIZED_DESCRIBE


# 5 ---------------------------------------------------------------------------


def test_ec2_with_unknown_key_is_auth_failure(client):
    ec2 = client("ec2", UNKNOWN_KEY, DISCOVERY_SECRET)
    assert error_of(ec2.describe_instances) == AUTH_FAILURE


def test_ec2_with_wrong_secret_is_auth_failure(client):
    ec2 = client("ec2", DISCOVERY_KEY, WRONG_SECRET)
    assert error_of(ec2.describe_instances) == AUTH_FAILURE


def test_ec2_with_altered_session_token_is_auth_failure(client):
    creds = dict(assume_created(client)["Credentials"])
    creds["SessionToken"] = alter_middle(creds["SessionToken"])
    ec2 = role_client(client, creds, "ec2")
    assert error_of(ec2.describe_instances) == AUTH_FAILURE


def test_ec2_with_session_key_but_no_token_is_auth_failure(client):
    creds = assume_created(client)["Credentials"]
    ec2 = client("ec2", creds["AccessKeyId"], creds["SecretAccessKey"])
    assert error_of(ec2.describe_instances) == AUTH_FAILURE


# 6 ---------------------------------------------------------------------------


def test_sts_with_unknown_key_is_invalid_client_token_id(client):
    sts = client("sts", UNKNOWN_KEY, DISCOVERY_SECRET)
    assert error_of(sts.get_caller_identity) == INVALID_TOKEN_UNKNOWN_KEY


def test_sts_with_wrong_secret_is_signature_does_not_match(client):
    sts = client("sts", DISCOVERY_KEY, WRONG_SECRET)
    assert error_of(sts.get_caller_identity) == SIGNATURE_MISMATCH


def test_sts_with_altered_session_token_is_invalid_client_token_id(client):
    creds = dict(assume_created(client)["Credentials"])
    creds["SessionToken"] = alter_middle(creds["SessionToken"])
    sts = role_client(client, creds, "sts")
    assert error_of(sts.get_caller_identity) == INVALID_TOKEN_ALTERED
