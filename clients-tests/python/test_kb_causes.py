"""Each shipped scenario for a cause of `AssumeRole` failing during discovery, driven with boto3:
the exact HTTP status, error code and message AWS gives, and the calls that still work."""

import pytest

from aws_clients import boto3_client, error_of, session_keys
from conftest import DISCOVERY_KEY, DISCOVERY_SECRET, Server

DISCOVERY = "arn:aws:iam::111111111111:user/discovery"


@pytest.fixture
def serve(tmp_path_factory):
    servers = []

    def start(scenario):
        srv = Server(tmp_path_factory.mktemp("server-home"), scenario)
        servers.append(srv)
        return srv

    yield start
    for srv in servers:
        srv.stop()


def client(service, endpoint, key=DISCOVERY_KEY, secret=DISCOVERY_SECRET, token=None, region="us-east-1"):
    return boto3_client(service, endpoint, key, secret, token, region)


def assume(sts, role_arn, session="discovery"):
    return sts.assume_role(RoleArn=role_arn, RoleSessionName=session)


def assume_role_denied(user, role, reason=""):
    """The AccessDenied AssumeRole answers `user` for `role`; AWS names the policy that denied
    after the resource (`reason`) when it says."""
    message = f"User: {user} is not authorized to perform: sts:AssumeRole on resource: {role}"
    return (403, "AccessDenied", message + reason)


def test_caller_lacks_assume_role_permission(serve):
    srv = serve("caller-lacks-assume-role-permission.yaml")
    role = "arn:aws:iam::333333333333:role/OrganizationAccountAccessRole"
    assert error_of(assume, client("sts", srv.endpoint), role) == assume_role_denied(
        DISCOVERY, role, " because no identity-based policy allows the sts:AssumeRole action"
    )


def test_trust_policy_names_another_principal(serve):
    srv = serve("trust-policy-wrong-principal.yaml")
    role = "arn:aws:iam::333333333333:role/Discovery"
    assert error_of(assume, client("sts", srv.endpoint), role) == assume_role_denied(DISCOVERY, role)


def test_scp_on_the_callers_ou_denies_assume_role(serve):
    srv = serve("scp-blocks-caller-assume-role.yaml")
    sts = client("sts", srv.endpoint, "AKIASECURITYTOOLING1", "securityToolingSecretEXAMPLEKEY000000000")
    blocked = "arn:aws:iam::333333333333:role/OrganizationAccountAccessRole"
    assert error_of(assume, sts, blocked) == assume_role_denied(
        "arn:aws:iam::444444444444:user/scanner",
        blocked,
        " with an explicit deny in a service control policy",
    )
    # The approved role is outside the SCP's NotResource, so it works.
    creds = assume(sts, "arn:aws:iam::333333333333:role/ApprovedAudit")["Credentials"]
    assert creds["AccessKeyId"].startswith("ASIA")


def test_scp_on_the_member_blocks_ec2_but_not_assume_role(serve):
    srv = serve("scp-on-member-blocks-ec2.yaml")
    creds = assume(client("sts", srv.endpoint), "arn:aws:iam::333333333333:role/OrganizationAccountAccessRole")[
        "Credentials"
    ]
    keys = session_keys(creds)
    east = client("ec2", srv.endpoint, *keys, region="us-east-1")
    assert error_of(east.describe_instances) == (
        403,
        "UnauthorizedOperation",
        "You are not authorized to perform this operation. User: "
        "arn:aws:sts::333333333333:assumed-role/OrganizationAccountAccessRole/discovery is not "
        "authorized to perform: ec2:DescribeInstances with an explicit deny in a service control policy",
    )
    west = client("ec2", srv.endpoint, *keys, region="eu-west-1")
    ids = [i["InstanceId"] for r in west.describe_instances()["Reservations"] for i in r["Instances"]]
    assert ids == ["i-03330000000000e01"]


def test_rcp_on_the_target_denies_a_caller_outside_the_organization(serve):
    srv = serve("rcp-blocks-assume-role.yaml")
    sts = client("sts", srv.endpoint, "AKIAPARTNEREXAMPLE01", "partnerSecretEXAMPLEKEY00000000000000000")
    role = "arn:aws:iam::333333333333:role/PartnerAudit"
    # Across organizations AWS does not say which policy denied.
    assert error_of(assume, sts, role) == assume_role_denied(
        "arn:aws:iam::555555555555:user/msp-discovery", role
    )


@pytest.mark.parametrize(
    "role, allowed",
    [
        ("TrustsAccountId", True),
        ("TrustsAccountRoot", True),
        ("TrustsUser", True),
        ("TrustsOtherUser", False),
        ("TrustsHubRole", False),
        ("TrustsOrganization", True),
    ],
)
def test_cross_account_principal_forms(serve, role, allowed):
    srv = serve("cross-account-principal-forms.yaml")
    arn = f"arn:aws:iam::333333333333:role/{role}"
    sts = client("sts", srv.endpoint)
    if allowed:
        user = assume(sts, arn)["AssumedRoleUser"]
        assert user["Arn"] == f"arn:aws:sts::333333333333:assumed-role/{role}/discovery"
    else:
        assert error_of(assume, sts, arn) == assume_role_denied(DISCOVERY, arn)


def test_a_role_arn_principal_admits_that_roles_sessions(serve):
    srv = serve("cross-account-principal-forms.yaml")
    hub = assume(client("sts", srv.endpoint), "arn:aws:iam::111111111111:role/Hub")["Credentials"]
    sts = client("sts", srv.endpoint, *session_keys(hub))
    user = assume(sts, "arn:aws:iam::333333333333:role/TrustsHubRole", "chained")["AssumedRoleUser"]
    assert user["Arn"] == "arn:aws:sts::333333333333:assumed-role/TrustsHubRole/chained"
