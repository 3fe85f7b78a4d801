"""The discovery surface with boto3 and the AWS CLI v1, on a generated scenario
(`scenario_gen.discovery_world()`): an organization of 60 members in a nested OU tree, one of
which runs 250 instances in us-east-1 beside one of everything else EC2 describes.

- Organizations: ListAccounts and the OU tree walked with boto3's paginators, and
  `aws organizations list-accounts --page-size` with the CLI's own paging.
- EC2: DescribeInstances and every other paging action through boto3's paginators at several
  page sizes, `aws ec2 describe-instances --page-size`, every describe's fields against what
  the scenario declares, and DryRun on each."""

import math
import re

import pytest

import scenario_gen as g
from aws_clients import (
    boto3_client,
    cli_credentials,
    error_of,
    http_statuses,
    ok_json,
    run_cli,
    session_keys,
)
from conftest import Server

CLI_TIMEOUT = 120  # seconds, per invocation (one invocation pages through 250 instances)
DRY_RUN = (412, "DryRunOperation", "Request would have succeeded, but DryRun flag is set.")

LIVE = [n for n in range(1, g.INSTANCE_COUNT + 1) if n != g.INSTANCE_COUNT]  # 250 is terminated
ALL_INSTANCE_IDS = sorted(g.instance_id(n) for n in range(1, g.INSTANCE_COUNT + 1))
US_EAST_1_ZONES = [f"us-east-1{z}" for z in "abcdef"]


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """The generated scenario served, and the role session in the big member account."""
    directory = tmp_path_factory.mktemp("scenario")
    path = g.write_scenario(directory)
    # conftest's Server joins the name under scenarios/; an absolute path replaces that base.
    srv = Server(tmp_path_factory.mktemp("server-home"), path.resolve())
    try:
        sts = boto3_client("sts", srv.endpoint, g.DISCOVERY_KEY, g.DISCOVERY_SECRET)
        creds = sts.assume_role(RoleArn=g.BIG_ROLE_ARN, RoleSessionName="discovery")[
            "Credentials"
        ]
        yield {"endpoint": srv.endpoint, "creds": creds}
    finally:
        srv.stop()


@pytest.fixture
def org(world):
    return boto3_client("organizations", world["endpoint"], g.DISCOVERY_KEY, g.DISCOVERY_SECRET)


@pytest.fixture
def ec2(world):
    return boto3_client("ec2", world["endpoint"], *session_keys(world["creds"]))


def paged(client, operation, key, page_size, **kwargs):
    """(pages' item lists) of a boto3 paginator run at `page_size`."""
    pages = client.get_paginator(operation).paginate(
        PaginationConfig={"PageSize": page_size}, **kwargs
    )
    return [page[key] for page in pages]


def check_pages(pages, page_size, total):
    """Every page but the last is full, none is larger, and nothing is left over."""
    assert [len(p) for p in pages] == [page_size] * (total // page_size) + (
        [total % page_size] if total % page_size else []
    )
    assert len(pages) == math.ceil(total / page_size)


def tag_map(resource):
    return {t["Key"]: t["Value"] for t in resource.get("Tags", [])}


# Organizations ------------------------------------------------------------------------------


def expected_accounts():
    accounts = {
        g.MANAGEMENT: {
            "Name": "management",
            "Email": "management@example.com",
            "JoinedMethod": "INVITED",
        }
    }
    for n in range(1, g.MEMBER_COUNT + 1):
        m = g.member(n)
        accounts[m["id"]] = {
            "Name": m["name"],
            "Email": m["email"],
            "JoinedMethod": m["joined"].upper(),
        }
    return accounts


def test_list_accounts_paginator_returns_every_account_exactly_once(org):
    model = org.meta.service_model.operation_model("ListAccounts").input_shape
    assert model.members["MaxResults"].metadata == {"min": 1, "max": 20}
    pages = paged(org, "list_accounts", "Accounts", 5)
    check_pages(pages, 5, g.MEMBER_COUNT + 1)
    accounts = [a for page in pages for a in page]
    ids = [a["Id"] for a in accounts]
    assert len(ids) == len(set(ids)) == g.MEMBER_COUNT + 1
    expected = expected_accounts()
    assert set(ids) == set(expected)
    for a in accounts:
        want = expected[a["Id"]]
        assert (a["Name"], a["Email"], a["JoinedMethod"]) == (
            want["Name"],
            want["Email"],
            want["JoinedMethod"],
        )
        assert a["Status"] == "ACTIVE"
        assert a["Arn"] == (
            f"arn:aws:organizations::{g.MANAGEMENT}:account/{g.ORG_ID}/{a['Id']}"
        )
        assert a["JoinedTimestamp"].year == 2024
    # The largest page Organizations allows gives the same accounts.
    big = paged(org, "list_accounts", "Accounts", 20)
    check_pages(big, 20, g.MEMBER_COUNT + 1)
    assert [a["Id"] for page in big for a in page] == ids


def test_list_accounts_max_results_above_twenty_is_invalid_input(org):
    assert error_of(org.list_accounts, MaxResults=21) == (
        400,
        "InvalidInputException",
        "You provided a numeric parameter that has a larger value than allowed.",
    )


def test_the_ou_tree_walked_with_paginators_places_every_account(org):
    roots = org.list_roots()["Roots"]
    assert len(roots) == 1
    root = roots[0]["Id"]
    assert re.fullmatch(r"r-[0-9a-z]{4,32}", root)

    placed = {}

    def walk(parent, path):
        for page in paged(org, "list_accounts_for_parent", "Accounts", 5, ParentId=parent):
            assert len(page) <= 5
            for account in page:
                assert account["Id"] not in placed
                placed[account["Id"]] = path
        children = [
            ou
            for page in paged(
                org, "list_organizational_units_for_parent", "OrganizationalUnits", 1,
                ParentId=parent,
            )
            for ou in page
        ]
        for ou in children:
            assert ou["Id"].startswith(f"ou-{root[2:]}-")
            walk(ou["Id"], f"{path}/{ou['Name']}" if path else ou["Name"])
        return [ou["Name"] for ou in children]

    assert walk(root, "") == ["Workloads", "Security", "Sandbox"]
    expected = {g.MANAGEMENT: ""}
    expected.update({g.member(n)["id"]: g.member(n)["ou"] for n in range(1, g.MEMBER_COUNT + 1)})
    assert placed == expected


# EC2 paging ----------------------------------------------------------------------------------


@pytest.mark.parametrize("page_size", [5, 7, 100, 1000])
def test_describe_instances_paginator_returns_every_instance_exactly_once(ec2, page_size):
    pages = paged(ec2, "describe_instances", "Reservations", page_size)
    check_pages(pages, page_size, g.INSTANCE_COUNT)
    instances = [i for page in pages for r in page for i in r["Instances"]]
    ids = [i["InstanceId"] for i in instances]
    assert len(ids) == len(set(ids)) == g.INSTANCE_COUNT
    assert ids == ALL_INSTANCE_IDS
    for i in instances:
        n = int(i["InstanceId"][2:], 16) - 0xB000000000000000
        assert i["InstanceType"] == g.INSTANCE_TYPES[(n - 1) % 3]
        assert tag_map(i) == {"Name": f"node-{n:03d}", "fleet": "discovery"}
        state = {2: "stopped", g.INSTANCE_COUNT: "terminated"}.get(n, "running")
        assert i["State"]["Name"] == state


def test_describe_instances_page_size_out_of_range_is_refused(ec2):
    assert error_of(ec2.describe_instances, MaxResults=4) == (
        400,
        "InvalidParameterValue",
        "Value ( 4 ) for parameter maxResults is invalid. Expecting a value greater than 5.",
    )


@pytest.mark.parametrize(
    "operation, key, id_key, total",
    [
        # Every live instance has an interface and a root volume; two volumes are declared.
        ("describe_network_interfaces", "NetworkInterfaces", "NetworkInterfaceId", len(LIVE)),
        ("describe_volumes", "Volumes", "VolumeId", len(LIVE) + 2),
        # Two declared groups plus each VPC's default group.
        ("describe_security_groups", "SecurityGroups", "GroupId", 4),
        # Two declared subnets plus one default subnet per zone.
        ("describe_subnets", "Subnets", "SubnetId", 2 + len(US_EAST_1_ZONES)),
        ("describe_vpcs", "Vpcs", "VpcId", 2),
    ],
)
def test_other_paginators_return_every_item_exactly_once(ec2, operation, key, id_key, total):
    whole = getattr(ec2, operation)()[key]
    assert len(whole) == total
    pages = paged(ec2, operation, key, 5)
    check_pages(pages, 5, total)
    ids = [item[id_key] for page in pages for item in page]
    assert len(set(ids)) == total
    assert ids == [item[id_key] for item in whole]


def test_describe_tags_paginator_returns_every_tag_exactly_once(ec2):
    pages = paged(ec2, "describe_tags", "Tags", 5)
    tags = [(t["ResourceId"], t["Key"]) for page in pages for t in page]
    # Two tags on each instance; one on the VPC, each subnet, the web group, the data
    # volume, the web image and the bound address.
    total = 2 * g.INSTANCE_COUNT + 7
    check_pages(pages, 5, total)
    assert len(set(tags)) == len(tags) == total
    by_type = {}
    for page in pages:
        for t in page:
            by_type.setdefault(t["ResourceType"], []).append(t)
    assert {k: len(v) for k, v in by_type.items()} == {
        "instance": 2 * g.INSTANCE_COUNT,
        "vpc": 1,
        "subnet": 2,
        "security-group": 1,
        "volume": 1,
        "image": 1,
        "elastic-ip": 1,
    }
    assert by_type["volume"][0] == {
        "ResourceId": g.VOL_DATA,
        "ResourceType": "volume",
        "Key": "Name",
        "Value": "data",
    }


# The AWS CLI v1 -----------------------------------------------------------------------------


def cli(world, aws_env, args, creds=None):
    """(parsed stdout, HTTP statuses of the requests made) of a successful CLI run."""
    keys = (g.DISCOVERY_KEY, g.DISCOVERY_SECRET) if creds is None else session_keys(creds)
    env = dict(aws_env, AWS_ENDPOINT_URL=world["endpoint"], **cli_credentials(*keys))
    proc = run_cli(args, env, debug=True, timeout=CLI_TIMEOUT)
    return ok_json(proc), http_statuses(proc)


def test_cli_list_accounts_with_page_size_gets_every_account_once(world, aws_env):
    out, statuses = cli(world, aws_env, ["organizations", "list-accounts", "--page-size", "5"])
    assert statuses == [200] * math.ceil((g.MEMBER_COUNT + 1) / 5)
    ids = [a["Id"] for a in out["Accounts"]]
    assert len(ids) == len(set(ids)) == g.MEMBER_COUNT + 1
    assert set(ids) == set(expected_accounts())
    assert "NextToken" not in out
    member = next(a for a in out["Accounts"] if a["Id"] == g.member_id(7))
    assert (member["Name"], member["JoinedMethod"]) == ("member-07", "INVITED")


def test_cli_describe_instances_with_page_size_gets_every_instance_once(world, aws_env):
    out, statuses = cli(
        world, aws_env, ["ec2", "describe-instances", "--page-size", "7"], creds=world["creds"]
    )
    assert statuses == [200] * math.ceil(g.INSTANCE_COUNT / 7)
    ids = [i["InstanceId"] for r in out["Reservations"] for i in r["Instances"]]
    assert ids == ALL_INSTANCE_IDS
    assert "NextToken" not in out


# Every EC2 describe, parsed by boto3 --------------------------------------------------------


def test_describe_regions(ec2):
    every = ec2.describe_regions(AllRegions=True)["Regions"]
    names = [r["RegionName"] for r in every]
    assert len(names) == len(set(names))
    by_name = {r["RegionName"]: r for r in every}
    assert by_name["us-east-1"] == {
        "RegionName": "us-east-1",
        "Endpoint": "ec2.us-east-1.amazonaws.com",
        "OptInStatus": "opt-in-not-required",
    }
    assert by_name["af-south-1"]["OptInStatus"] == "not-opted-in"
    enabled = ec2.describe_regions()["Regions"]
    assert {r["OptInStatus"] for r in enabled} == {"opt-in-not-required"}
    assert [r["RegionName"] for r in enabled] == [
        n for n in names if by_name[n]["OptInStatus"] == "opt-in-not-required"
    ]
    assert {"us-east-1", "us-west-2", "eu-west-1"} <= {r["RegionName"] for r in enabled}


def test_describe_availability_zones(ec2):
    zones = ec2.describe_availability_zones()["AvailabilityZones"]
    assert [z["ZoneName"] for z in zones] == US_EAST_1_ZONES
    for n, z in enumerate(zones, start=1):
        assert z["ZoneId"] == f"use1-az{n}"
        assert z["State"] == "available"
        assert z["RegionName"] == "us-east-1"
        assert z["ZoneType"] == "availability-zone"
        assert z["OptInStatus"] == "opt-in-not-required"
        assert z["GroupName"] == z["NetworkBorderGroup"] == "us-east-1"


def test_describe_vpcs(ec2):
    vpcs = {v["VpcId"]: v for v in ec2.describe_vpcs()["Vpcs"]}
    prod = vpcs.pop(g.VPC_ID)
    assert prod["CidrBlock"] == "10.0.0.0/16"
    assert prod["IsDefault"] is False
    assert prod["State"] == "available"
    assert prod["OwnerId"] == g.BIG_ACCOUNT
    assert tag_map(prod) == {"Name": "prod"}
    assert prod["CidrBlockAssociationSet"][0]["CidrBlock"] == "10.0.0.0/16"
    assert prod["CidrBlockAssociationSet"][0]["CidrBlockState"] == {"State": "associated"}
    (default,) = vpcs.values()
    assert default["CidrBlock"] == "172.31.0.0/16"
    assert default["IsDefault"] is True
    assert "Tags" not in default
    filtered = ec2.describe_vpcs(Filters=[{"Name": "tag:Name", "Values": ["prod"]}])["Vpcs"]
    assert [v["VpcId"] for v in filtered] == [g.VPC_ID]


def test_describe_subnets(ec2):
    subnets = {s["SubnetId"]: s for s in ec2.describe_subnets()["Subnets"]}
    a, b = subnets.pop(g.SUBNET_A), subnets.pop(g.SUBNET_B)
    assert (a["VpcId"], a["CidrBlock"], a["AvailabilityZone"], a["AvailabilityZoneId"]) == (
        g.VPC_ID, "10.0.1.0/24", "us-east-1a", "use1-az1",
    )
    assert (b["VpcId"], b["CidrBlock"], b["AvailabilityZone"], b["AvailabilityZoneId"]) == (
        g.VPC_ID, "10.0.2.0/24", "us-east-1b", "use1-az2",
    )
    assert (a["MapPublicIpOnLaunch"], b["MapPublicIpOnLaunch"]) == (False, True)
    assert a["DefaultForAz"] is False and b["DefaultForAz"] is False
    # A /24 has 251 usable addresses; the first ten instances hold ten of subnet A's.
    assert (a["AvailableIpAddressCount"], b["AvailableIpAddressCount"]) == (241, 251)
    assert a["SubnetArn"] == f"arn:aws:ec2:us-east-1:{g.BIG_ACCOUNT}:subnet/{g.SUBNET_A}"
    assert (tag_map(a), tag_map(b)) == ({"Name": "prod-a"}, {"Name": "prod-b"})
    # The default VPC's subnets, one per zone, hold the other 239 live instances.
    assert sorted(s["AvailabilityZone"] for s in subnets.values()) == US_EAST_1_ZONES
    assert all(s["DefaultForAz"] and s["MapPublicIpOnLaunch"] for s in subnets.values())
    used = sum(4091 - s["AvailableIpAddressCount"] for s in subnets.values())
    assert used == len(LIVE) - 10


def test_describe_security_groups(ec2):
    groups = {sg["GroupId"]: sg for sg in ec2.describe_security_groups()["SecurityGroups"]}
    web, db = groups.pop(g.SG_WEB), groups.pop(g.SG_DB)
    assert (web["GroupName"], web["Description"], web["VpcId"]) == ("web", "web servers", g.VPC_ID)
    assert web["IpPermissions"] == [
        {
            "IpProtocol": "tcp",
            "FromPort": 443,
            "ToPort": 443,
            "IpRanges": [{"CidrIp": "0.0.0.0/0"}],
            "Ipv6Ranges": [],
            "PrefixListIds": [],
            "UserIdGroupPairs": [],
        }
    ]
    assert web["IpPermissionsEgress"][0]["IpProtocol"] == "-1"
    assert web["IpPermissionsEgress"][0]["IpRanges"] == [{"CidrIp": "0.0.0.0/0"}]
    assert tag_map(web) == {"Name": "web"}
    assert (db["GroupName"], db["Description"]) == ("db", "databases")
    (rule,) = db["IpPermissions"]
    assert (rule["IpProtocol"], rule["FromPort"], rule["ToPort"]) == ("tcp", 5432, 5432)
    assert rule["UserIdGroupPairs"] == [{"UserId": g.BIG_ACCOUNT, "GroupId": g.SG_WEB}]
    assert rule["IpRanges"] == []
    # Each VPC's default group.
    assert sorted(sg["GroupName"] for sg in groups.values()) == ["default", "default"]
    assert {sg["VpcId"] for sg in groups.values()} >= {g.VPC_ID}
    filtered = ec2.describe_security_groups(
        Filters=[{"Name": "group-name", "Values": ["db"]}]
    )["SecurityGroups"]
    assert [sg["GroupId"] for sg in filtered] == [g.SG_DB]


def test_describe_volumes(ec2):
    volumes = ec2.describe_volumes(VolumeIds=[g.VOL_DATA, g.VOL_SPARE])["Volumes"]
    data, spare = sorted(volumes, key=lambda v: v["VolumeId"])
    assert (data["Size"], data["VolumeType"], data["State"], data["Encrypted"]) == (
        100, "gp3", "in-use", False,
    )
    assert data["AvailabilityZone"] == "us-east-1a"  # the attached instance's zone
    (attachment,) = data["Attachments"]
    assert attachment["InstanceId"] == g.instance_id(1)
    assert attachment["Device"] == "/dev/sdf"
    assert attachment["State"] == "attached"
    assert tag_map(data) == {"Name": "data"}
    assert (spare["Size"], spare["VolumeType"], spare["State"], spare["Encrypted"]) == (
        50, "gp2", "available", True,
    )
    assert spare["AvailabilityZone"] == "us-east-1b"
    assert spare["Attachments"] == []
    roots = ec2.describe_volumes(
        Filters=[{"Name": "attachment.instance-id", "Values": [g.instance_id(1)]}]
    )["Volumes"]
    assert sorted(a["Device"] for v in roots for a in v["Attachments"]) == ["/dev/sdf", "/dev/xvda"]


def test_instances_map_attached_volumes_and_answer_documented_filters(ec2):
    """An instance's block device mappings list its root volume, then the volume attached to
    it; the filters the EC2 API reference documents for DescribeInstances select as the answer
    reads, and one about something these instances never have selects none."""
    (reservation,) = ec2.describe_instances(InstanceIds=[g.instance_id(1)])["Reservations"]
    (first,) = reservation["Instances"]
    devices = [
        (m["DeviceName"], m["Ebs"]["VolumeId"], m["Ebs"]["DeleteOnTermination"])
        for m in first["BlockDeviceMappings"]
    ]
    assert devices[0][0] == "/dev/xvda" and devices[0][1].startswith("vol-") and devices[0][2]
    assert devices[1:] == [("/dev/sdf", g.VOL_DATA, False)]

    def selected(name, *values):
        pages = ec2.get_paginator("describe_instances").paginate(
            Filters=[{"Name": name, "Values": list(values)}]
        )
        return sorted(i["InstanceId"] for p in pages for r in p["Reservations"] for i in r["Instances"])

    first_ten = sorted(g.instance_id(n) for n in range(1, 11))
    assert selected("instance.group-id", g.SG_WEB) == first_ten
    assert selected("network-interface.group-id", g.SG_WEB) == first_ten
    assert selected("block-device-mapping.volume-id", g.VOL_DATA) == [g.instance_id(1)]
    assert selected("state-reason-code", "Client.UserInitiatedShutdown") == sorted(
        [g.instance_id(2), g.instance_id(g.INSTANCE_COUNT)]
    )
    assert selected("spot-instance-request-id", "*") == []
    assert error_of(
        ec2.describe_instances, Filters=[{"Name": "instance-colour", "Values": ["x"]}]
    ) == (400, "InvalidParameterValue", "The filter 'instance-colour' is invalid")


def test_instances_show_their_launch_options(ec2):
    """What AWS shows for an instance launched with its defaults from a Linux image."""
    (reservation,) = ec2.describe_instances(InstanceIds=[g.instance_id(1)])["Reservations"]
    (instance,) = reservation["Instances"]
    assert instance["EnaSupport"] is True
    assert instance["PlatformDetails"] == "Linux/UNIX"
    assert instance["UsageOperation"] == "RunInstances"
    assert instance["UsageOperationUpdateTime"] == instance["LaunchTime"]
    assert instance["CapacityReservationSpecification"] == {"CapacityReservationPreference": "open"}
    assert instance["HibernationOptions"] == {"Configured": False}
    assert instance["EnclaveOptions"] == {"Enabled": False}
    assert instance["PrivateDnsNameOptions"] == {
        "HostnameType": "ip-name",
        "EnableResourceNameDnsARecord": False,
        "EnableResourceNameDnsAAAARecord": False,
    }
    assert instance["MaintenanceOptions"] == {"AutoRecovery": "default"}
    pages = ec2.get_paginator("describe_instances").paginate(
        Filters=[{"Name": "platform-details", "Values": ["Linux/UNIX"]}]
    )
    assert sum(len(r["Instances"]) for p in pages for r in p["Reservations"]) == g.INSTANCE_COUNT


def test_describe_images_owned_by_self(ec2):
    images = {i["ImageId"]: i for i in ec2.describe_images(Owners=["self"])["Images"]}
    assert sorted(images) == [g.AMI_WEB, g.AMI_DB]
    web, db = images[g.AMI_WEB], images[g.AMI_DB]
    assert (web["Name"], web["Architecture"], web["OwnerId"]) == (
        "golden-web-2025", "x86_64", g.BIG_ACCOUNT,
    )
    assert (db["Name"], db["Architecture"], db["Description"]) == (
        "golden-db-2025", "arm64", "database base image",
    )
    for image in images.values():
        assert image["State"] == "available"
        assert image["Public"] is False
        assert image["ImageLocation"] == f"{g.BIG_ACCOUNT}/{image['Name']}"
    assert tag_map(web) == {"Role": "web"}


def test_describe_network_interfaces(ec2):
    (eni,) = ec2.describe_network_interfaces(
        Filters=[{"Name": "attachment.instance-id", "Values": [g.instance_id(3)]}]
    )["NetworkInterfaces"]
    assert (eni["SubnetId"], eni["VpcId"], eni["AvailabilityZone"]) == (
        g.SUBNET_A, g.VPC_ID, "us-east-1a",
    )
    assert eni["Groups"] == [{"GroupId": g.SG_WEB, "GroupName": "web"}]
    assert eni["Attachment"]["InstanceId"] == g.instance_id(3)
    assert eni["Attachment"]["DeviceIndex"] == 0
    assert eni["Status"] == "in-use"
    assert eni["Association"]["PublicIp"] == g.EIP_BOUND
    # An Elastic IP: the account owns it and the interface names its allocation (EC2 API
    # reference, NetworkInterfaceAssociation); the VPC was made without DNS hostnames.
    assert eni["Association"]["IpOwnerId"] == g.BIG_ACCOUNT
    assert eni["Association"]["AllocationId"].startswith("eipalloc-")
    assert eni["Association"]["AssociationId"].startswith("eipassoc-")
    assert eni["Association"]["PublicDnsName"] == ""
    assert eni["PrivateIpAddresses"][0]["Association"] == eni["Association"]
    assert eni["PrivateIpAddress"].startswith("10.0.1.")
    assert re.fullmatch(r"([0-9a-f]{2}:){5}[0-9a-f]{2}", eni["MacAddress"])


def test_describe_key_pairs(ec2):
    pairs = {k["KeyName"]: k for k in ec2.describe_key_pairs()["KeyPairs"]}
    assert sorted(pairs) == ["deploy", "ops"]
    assert (pairs["ops"]["KeyType"], pairs["deploy"]["KeyType"]) == ("rsa", "ed25519")
    assert pairs["ops"]["KeyFingerprint"].count(":") == 19
    for pair in pairs.values():
        assert pair["KeyPairId"].startswith("key-")
    (only,) = ec2.describe_key_pairs(KeyNames=["deploy"])["KeyPairs"]
    assert only["KeyPairId"] == pairs["deploy"]["KeyPairId"]


def test_describe_tags_filtered(ec2):
    tags = ec2.describe_tags(
        Filters=[
            {"Name": "resource-id", "Values": [g.instance_id(1)]},
        ]
    )["Tags"]
    assert tags == [
        {"Key": "Name", "ResourceId": g.instance_id(1), "ResourceType": "instance", "Value": "node-001"},
        {"Key": "fleet", "ResourceId": g.instance_id(1), "ResourceType": "instance", "Value": "discovery"},
    ]


def test_describe_addresses(ec2):
    addresses = {a["PublicIp"]: a for a in ec2.describe_addresses()["Addresses"]}
    assert sorted(addresses) == [g.EIP_BOUND, g.EIP_FREE]
    bound, free = addresses[g.EIP_BOUND], addresses[g.EIP_FREE]
    assert bound["InstanceId"] == g.instance_id(3)
    assert bound["Domain"] == "vpc"
    assert bound["AllocationId"].startswith("eipalloc-")
    assert bound["AssociationId"].startswith("eipassoc-")
    assert bound["NetworkInterfaceOwnerId"] == g.BIG_ACCOUNT
    assert tag_map(bound) == {"Name": "api"}
    assert "InstanceId" not in free and "AssociationId" not in free
    assert free["Domain"] == "vpc"
    # The instance reports its Elastic IP.
    (reservation,) = ec2.describe_instances(InstanceIds=[g.instance_id(3)])["Reservations"]
    (instance,) = reservation["Instances"]
    assert instance["PublicIpAddress"] == g.EIP_BOUND
    assert instance["PublicDnsName"] == ""
    (interface,) = instance["NetworkInterfaces"]
    assert interface["NetworkInterfaceId"] == bound["NetworkInterfaceId"]
    # The instance's view of the association names no allocation (EC2 API reference,
    # InstanceNetworkInterfaceAssociation).
    assert interface["Association"] == {
        "PublicIp": g.EIP_BOUND,
        "PublicDnsName": "",
        "IpOwnerId": g.BIG_ACCOUNT,
    }
    assert interface["PrivateIpAddresses"] == [
        {
            "PrivateIpAddress": interface["PrivateIpAddress"],
            "PrivateDnsName": interface["PrivateDnsName"],
            "Primary": True,
            "Association": interface["Association"],
        }
    ]
    assert interface["Ipv6Addresses"] == []


DRY_RUN_CALLS = [
    ("describe_regions", {"AllRegions": True}),
    ("describe_availability_zones", {}),
    ("describe_instances", {}),
    ("describe_vpcs", {}),
    ("describe_subnets", {}),
    ("describe_security_groups", {}),
    ("describe_volumes", {}),
    ("describe_images", {"Owners": ["self"]}),
    ("describe_network_interfaces", {}),
    ("describe_key_pairs", {}),
    ("describe_tags", {}),
    ("describe_addresses", {}),
]


@pytest.mark.parametrize("operation, kwargs", DRY_RUN_CALLS, ids=[c[0] for c in DRY_RUN_CALLS])
def test_dry_run_is_dry_run_operation(ec2, operation, kwargs):
    assert error_of(getattr(ec2, operation), DryRun=True, **kwargs) == DRY_RUN
