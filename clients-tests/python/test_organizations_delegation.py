"""Organizations beyond the management account, driven with boto3: discovery from a delegated
administrator (`scenarios/delegated-admin-discovery.yaml`), a plain member refused, a member the
delegation policy admits, the actions that list delegations and policies, and RCPs in the
policy listings (a small organization written for the test)."""

import json
from datetime import datetime, timezone

import pytest

from aws_clients import boto3_client, error_of, session_keys
from conftest import DISCOVERY_KEY, DISCOVERY_SECRET, Server

SCENARIO = "delegated-admin-discovery.yaml"
TOOLING = ("AKIATOOLINGEXAMPLE01", "toolingSecretEXAMPLEKEY0000000000000000")
CMDB = ("AKIACMDBEXAMPLE00001", "cmdbSecretEXAMPLEKEY000000000000000000")
REPORTING = ("AKIAREPORTINGEXAMPL1", "reportingSecretEXAMPLEKEY00000000000000")
MGMT = "arn:aws:organizations::111111111111"
DENIED = (400, "AccessDeniedException", "You don't have permissions to access this resource.")
JOINED = datetime(2024, 1, 15, 12, 0, tzinfo=timezone.utc)

RCP_SCENARIO = """
organization:
  id: o-rcplisting01
  management_account: "111111111111"
  ous:
    - name: Production
      rcps: [DenyAssumeFromOutside]
  resource_control_policies:
    - name: DenyAssumeFromOutside
      description: Only the organization assumes roles
      document:
        Version: "2012-10-17"
        Statement:
          - Effect: Deny
            Principal: "*"
            Action: sts:AssumeRole
            Resource: "*"
            Condition: { StringNotEqualsIfExists: { aws:PrincipalOrgID: o-rcplisting01 } }
accounts:
  - id: "111111111111"
    root_access_keys: [{ id: AKIARCPROOTEXAMPLE01, secret: rcpRootSecretEXAMPLEKEY00000000000000 }]
  - id: "333333333333"
    ou: Production
"""
RCP_ROOT = ("AKIARCPROOTEXAMPLE01", "rcpRootSecretEXAMPLEKEY00000000000000")


@pytest.fixture(scope="module")
def delegation(tmp_path_factory):
    srv = Server(tmp_path_factory.mktemp("server-home"), SCENARIO)
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def rcps(tmp_path_factory):
    path = tmp_path_factory.mktemp("scenario") / "rcp-listing.yaml"
    path.write_text(RCP_SCENARIO)
    # conftest's Server joins the name under scenarios/; an absolute path replaces that base.
    srv = Server(tmp_path_factory.mktemp("server-home"), path.resolve())
    yield srv
    srv.stop()


def client(service, endpoint, keys):
    """A client with the (key, secret) pair `keys`."""
    return boto3_client(service, endpoint, *keys)


def paged(org, operation, key, **kwargs):
    """Every item of a listing through boto3's paginator, one item per page."""
    pages = org.get_paginator(operation).paginate(PaginationConfig={"PageSize": 1}, **kwargs)
    return [item for page in pages for item in page[key]]


def test_a_delegated_administrator_discovers_the_organization(delegation):
    org = client("organizations", delegation.endpoint, TOOLING)
    accounts = paged(org, "list_accounts", "Accounts")
    assert [a["Id"] for a in accounts] == [
        "111111111111",
        "222222222222",
        "333333333333",
        "444444444444",
        "555555555555",
    ]
    assert accounts[2]["Name"] == "workload"
    assert accounts[2]["JoinedTimestamp"] == JOINED
    # Then into the members, with the role they keep for the tooling account.
    sts = client("sts", delegation.endpoint, TOOLING)
    creds = sts.assume_role(
        RoleArn="arn:aws:iam::333333333333:role/DiscoveryReadOnly", RoleSessionName="discovery"
    )["Credentials"]
    ec2 = boto3_client("ec2", delegation.endpoint, *session_keys(creds))
    reservations = ec2.describe_instances()["Reservations"]
    assert [i["InstanceId"] for r in reservations for i in r["Instances"]] == [
        "i-03330000000000001"
    ]


def test_a_member_that_is_no_delegated_administrator_is_refused(delegation):
    org = client("organizations", delegation.endpoint, CMDB)
    assert error_of(org.list_accounts) == DENIED
    assert error_of(org.list_roots) == DENIED
    assert error_of(org.list_delegated_administrators) == DENIED
    # Every account may describe its organization.
    assert org.describe_organization()["Organization"]["MasterAccountId"] == "111111111111"


def test_the_delegation_policy_admits_a_member_for_what_it_names(delegation):
    org = client("organizations", delegation.endpoint, REPORTING)
    assert len(paged(org, "list_accounts", "Accounts")) == 5
    assert org.describe_account(AccountId="444444444444")["Account"]["Name"] == "cmdb"
    assert error_of(org.list_roots) == DENIED
    assert error_of(org.describe_resource_policy) == DENIED


def test_delegated_administrators_and_their_services(delegation):
    org = client("organizations", delegation.endpoint, TOOLING)
    registered = datetime(2024, 3, 1, 9, 0, tzinfo=timezone.utc)
    admins = org.list_delegated_administrators()["DelegatedAdministrators"]
    assert admins == [
        {
            "Id": "222222222222",
            "Arn": f"{MGMT}:account/o-exampleorgid/222222222222",
            "Email": "aws+222222222222@example.com",
            "Name": "security-tooling",
            "Status": "ACTIVE",
            "State": "ACTIVE",
            "JoinedMethod": "CREATED",
            "JoinedTimestamp": JOINED,
            "DelegationEnabledDate": registered,
        }
    ]
    assert org.list_delegated_administrators(ServicePrincipal="guardduty.amazonaws.com")[
        "DelegatedAdministrators"
    ] == []
    services = paged(
        org, "list_delegated_services_for_account", "DelegatedServices", AccountId="222222222222"
    )
    assert services == [
        {"ServicePrincipal": "securityhub.amazonaws.com", "DelegationEnabledDate": registered}
    ]
    assert error_of(org.list_delegated_services_for_account, AccountId="444444444444") == (
        400,
        "AccountNotRegisteredException",
        "The specified account is not a delegated administrator for this Amazon Web Services service.",
    )
    assert error_of(org.list_delegated_services_for_account, AccountId="999999999999") == (
        400,
        "AccountNotFoundException",
        "You specified an account that doesn't exist.",
    )
    assert error_of(org.list_delegated_administrators, ServicePrincipal="not a principal") == (
        400,
        "InvalidInputException",
        "You provided a value that does not match the required pattern.",
    )


def test_policies_and_their_targets(delegation):
    org = client("organizations", delegation.endpoint, TOOLING)
    policies = org.list_policies(Filter="SERVICE_CONTROL_POLICY")["Policies"]
    assert policies == [
        {
            "Id": "p-FullAWSAccess",
            "Arn": "arn:aws:organizations::aws:policy/service_control_policy/p-FullAWSAccess",
            "Name": "FullAWSAccess",
            "Description": "Allows access to every operation",
            "Type": "SERVICE_CONTROL_POLICY",
            "AwsManaged": True,
        }
    ]
    # This organization declares no RCP: the type is not enabled and lists nothing.
    assert org.list_policies(Filter="RESOURCE_CONTROL_POLICY")["Policies"] == []
    assert org.list_policies(Filter="TAG_POLICY")["Policies"] == []
    assert error_of(org.list_policies, Filter="NOT_A_POLICY_TYPE") == (
        400,
        "InvalidInputException",
        "You specified an invalid value.",
    )
    targets = paged(org, "list_targets_for_policy", "Targets", PolicyId="p-FullAWSAccess")
    assert [(t["Type"], t["Name"]) for t in targets] == [
        ("ROOT", "Root"),
        ("ACCOUNT", "management"),
        ("ACCOUNT", "security-tooling"),
        ("ACCOUNT", "workload"),
        ("ACCOUNT", "cmdb"),
        ("ACCOUNT", "reporting"),
        ("ORGANIZATIONAL_UNIT", "Security"),
        ("ORGANIZATIONAL_UNIT", "Workloads"),
    ]
    assert targets[2]["Arn"] == f"{MGMT}:account/o-exampleorgid/222222222222"
    assert error_of(org.list_targets_for_policy, PolicyId="p-zzzzzzzz") == (
        400,
        "PolicyNotFoundException",
        "We can't find a policy with the PolicyId that you specified.",
    )


def test_describe_resource_policy_shows_the_delegation_policy(delegation):
    org = client("organizations", delegation.endpoint, TOOLING)
    policy = org.describe_resource_policy()["ResourcePolicy"]
    summary = policy["ResourcePolicySummary"]
    assert summary["Id"].startswith("rp-")
    assert summary["Arn"] == f"{MGMT}:resourcepolicy/o-exampleorgid/{summary['Id']}"
    assert json.loads(policy["Content"]) == {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "ReportingListsAccounts",
                "Effect": "Allow",
                "Principal": {"AWS": "arn:aws:iam::555555555555:root"},
                "Action": ["organizations:ListAccounts", "organizations:DescribeAccount"],
                "Resource": "*",
            }
        ],
    }


def test_without_a_delegation_policy_describe_resource_policy_is_not_found(server):
    org = client("organizations", server.endpoint, (DISCOVERY_KEY, DISCOVERY_SECRET))
    assert error_of(org.describe_resource_policy) == (
        400,
        "ResourcePolicyNotFoundException",
        "We can't find a resource policy request with the parameter that you specified.",
    )


def test_rcps_in_the_policy_listings(rcps):
    org = client("organizations", rcps.endpoint, RCP_ROOT)
    root = org.list_roots()["Roots"][0]
    assert root["PolicyTypes"] == [
        {"Type": "SERVICE_CONTROL_POLICY", "Status": "ENABLED"},
        {"Type": "RESOURCE_CONTROL_POLICY", "Status": "ENABLED"},
    ]
    production = org.list_organizational_units_for_parent(ParentId=root["Id"])[
        "OrganizationalUnits"
    ][0]
    attached = org.list_policies_for_target(
        TargetId=production["Id"], Filter="RESOURCE_CONTROL_POLICY"
    )["Policies"]
    assert [p["Name"] for p in attached] == ["RCPFullAWSAccess", "DenyAssumeFromOutside"]
    assert attached[0] == {
        "Id": "p-RCPFullAWSAccess",
        "Arn": "arn:aws:organizations::aws:policy/resource_control_policy/p-RCPFullAWSAccess",
        "Name": "RCPFullAWSAccess",
        "Description": "Allows access to every resource",
        "Type": "RESOURCE_CONTROL_POLICY",
        "AwsManaged": True,
    }
    custom = attached[1]
    assert custom["Arn"] == (
        f"{MGMT}:policy/o-rcplisting01/resource_control_policy/{custom['Id']}"
    )
    described = org.describe_policy(PolicyId=custom["Id"])["Policy"]
    assert described["PolicySummary"] == custom
    assert json.loads(described["Content"])["Statement"][0]["Action"] == "sts:AssumeRole"
    full = org.describe_policy(PolicyId="p-RCPFullAWSAccess")["Policy"]
    assert json.loads(full["Content"]) == {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}],
    }
    targets = org.list_targets_for_policy(PolicyId=custom["Id"])["Targets"]
    assert targets == [
        {
            "TargetId": production["Id"],
            "Arn": production["Arn"],
            "Name": "Production",
            "Type": "ORGANIZATIONAL_UNIT",
        }
    ]
    # The deprecated AvailablePolicyTypes keeps showing SCPs alone.
    assert org.describe_organization()["Organization"]["AvailablePolicyTypes"] == [
        {"Type": "SERVICE_CONTROL_POLICY", "Status": "ENABLED"}
    ]
