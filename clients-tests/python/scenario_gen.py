"""Generated scenarios for the client tests: a large organization for discovery, written as
YAML (JSON is YAML, so the document is emitted with `json` under a comment header) into a
temporary directory, together with the facts the tests assert.

The story of `discovery_world()`: the IAM user `discovery` in the management account
111111111111 walks an organization of 60 member accounts spread over a nested OU tree, then
assumes OrganizationAccountAccessRole in one member (`BIG_ACCOUNT`) that runs 250 instances in
us-east-1 beside one of everything else EC2 can describe."""

import json
import pathlib

MANAGEMENT = "111111111111"
DISCOVERY_KEY = "AKIAIOSFODNN7EXAMPLE"
DISCOVERY_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
ORG_ID = "o-discovery0001"

# OU paths below the root, in declaration order; members are dealt to them in turn.
OU_PATHS = ["Workloads/Prod", "Workloads/Dev", "Security", "Sandbox"]
MEMBER_COUNT = 60
INSTANCE_COUNT = 250


def member_id(n):
    """The n-th member account (1-based): 200000000001 … 200000000060."""
    return f"2000000000{n:02d}"


BIG_ACCOUNT = member_id(1)
BIG_ROLE_ARN = f"arn:aws:iam::{BIG_ACCOUNT}:role/OrganizationAccountAccessRole"

VPC_ID = "vpc-0b000000000000001"
SUBNET_A = "subnet-0b000000000000001"
SUBNET_B = "subnet-0b000000000000002"
SG_WEB = "sg-0b000000000000001"
SG_DB = "sg-0b000000000000002"
VOL_DATA = "vol-0b000000000000001"
VOL_SPARE = "vol-0b000000000000002"
AMI_WEB = "ami-0b000000000000001"
AMI_DB = "ami-0b000000000000002"
EIP_BOUND = "203.0.113.10"
EIP_FREE = "203.0.113.11"
INSTANCE_TYPES = ["t3.micro", "t3.small", "m5.large"]


def instance_id(n):
    """The n-th instance (1-based), 17 hex digits."""
    return f"i-0b{n:015x}"


def member(n):
    """The facts a member account is declared with."""
    return {
        "id": member_id(n),
        "name": f"member-{n:02d}",
        "email": f"member-{n:02d}@example.com",
        "ou": OU_PATHS[(n - 1) % len(OU_PATHS)],
        # Every seventh member was invited; the others were created.
        "joined": "invited" if n % 7 == 0 else "created",
    }


def instance(n):
    """The facts an instance is declared with; the first ten sit in the declared subnet."""
    spec = {
        "id": instance_id(n),
        "type": INSTANCE_TYPES[(n - 1) % len(INSTANCE_TYPES)],
        "tags": {"Name": f"node-{n:03d}", "fleet": "discovery"},
    }
    if n <= 10:
        spec.update(
            subnet_id=SUBNET_A,
            security_groups=[SG_WEB],
            key_name="ops",
            image_id=AMI_WEB,
        )
    if n == 2:
        spec["state"] = "stopped"
    if n == INSTANCE_COUNT:
        spec["state"] = "terminated"
    return spec


def _allow(actions, resource="*"):
    return {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": actions, "Resource": resource}],
    }


def _ou_tree():
    tree = {}
    for path in OU_PATHS:
        node = tree
        for name in path.split("/"):
            node = node.setdefault(name, {})

    def build(node):
        return [{"name": name, "ous": build(child)} for name, child in node.items()]

    return build(tree)


def discovery_world():
    """The scenario as a dict."""
    big_ec2 = {
        "vpcs": [{"id": VPC_ID, "cidr_block": "10.0.0.0/16", "tags": {"Name": "prod"}}],
        "subnets": [
            {
                "id": SUBNET_A,
                "vpc_id": VPC_ID,
                "cidr_block": "10.0.1.0/24",
                "availability_zone": "us-east-1a",
                "tags": {"Name": "prod-a"},
            },
            {
                "id": SUBNET_B,
                "vpc_id": VPC_ID,
                "cidr_block": "10.0.2.0/24",
                "availability_zone": "us-east-1b",
                "map_public_ip_on_launch": True,
                "tags": {"Name": "prod-b"},
            },
        ],
        "security_groups": [
            {
                "id": SG_WEB,
                "name": "web",
                "description": "web servers",
                "vpc_id": VPC_ID,
                "ingress": [{"protocol": "tcp", "from_port": 443, "cidr": "0.0.0.0/0"}],
                "tags": {"Name": "web"},
            },
            {
                "id": SG_DB,
                "name": "db",
                "description": "databases",
                "vpc_id": VPC_ID,
                "ingress": [
                    {"protocol": "tcp", "from_port": 5432, "source_group": SG_WEB}
                ],
            },
        ],
        "instances": [instance(n) for n in range(1, INSTANCE_COUNT + 1)],
        "volumes": [
            {
                "id": VOL_DATA,
                "size": 100,
                "attached_to": instance_id(1),
                "tags": {"Name": "data"},
            },
            {
                "id": VOL_SPARE,
                "type": "gp2",
                "size": 50,
                "availability_zone": "us-east-1b",
                "encrypted": True,
            },
        ],
        "images": [
            {"id": AMI_WEB, "name": "golden-web-2025", "tags": {"Role": "web"}},
            {
                "id": AMI_DB,
                "name": "golden-db-2025",
                "description": "database base image",
                "architecture": "arm64",
            },
        ],
        "key_pairs": [{"name": "ops"}, {"name": "deploy", "type": "ed25519"}],
        "addresses": [
            {"public_ip": EIP_BOUND, "instance_id": instance_id(3), "tags": {"Name": "api"}},
            {"public_ip": EIP_FREE},
        ],
    }
    accounts = [
        {
            "id": MANAGEMENT,
            "name": "management",
            "email": "management@example.com",
            "users": [
                {
                    "name": "discovery",
                    "access_keys": [{"id": DISCOVERY_KEY, "secret": DISCOVERY_SECRET}],
                    "policies": [
                        {
                            "name": "AssumeMemberRoles",
                            "document": _allow(
                                "sts:AssumeRole",
                                "arn:aws:iam::*:role/OrganizationAccountAccessRole",
                            ),
                        },
                        {
                            "name": "ReadOrganization",
                            "document": _allow(
                                ["organizations:List*", "organizations:Describe*"]
                            ),
                        },
                    ],
                }
            ],
        }
    ]
    for n in range(1, MEMBER_COUNT + 1):
        spec = dict(member(n))
        if spec["id"] == BIG_ACCOUNT:
            spec["ec2"] = {"us-east-1": big_ec2}
        accounts.append(spec)
    return {
        "description": (
            f"Discovery of {MEMBER_COUNT} member accounts in a nested OU tree; member "
            f"{BIG_ACCOUNT} runs {INSTANCE_COUNT} instances in us-east-1."
        ),
        "organization": {
            "id": ORG_ID,
            "management_account": MANAGEMENT,
            "ous": _ou_tree(),
        },
        "accounts": accounts,
    }


def write_scenario(directory, name="discovery.yaml", world=None):
    """Writes the scenario into `directory` and returns its path."""
    world = discovery_world() if world is None else world
    path = pathlib.Path(directory) / name
    header = "# Generated for the client tests (scenario_gen.py). JSON is valid YAML.\n"
    path.write_text(header + json.dumps(world, indent=1) + "\n")
    return path
