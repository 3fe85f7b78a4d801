// The EC2 discovery surface through @aws-sdk/client-ec2, on a scenario generated here: member
// 200000000001 of an organization runs 60 instances in us-east-1 beside one of everything else
// EC2 describes. Every describe is parsed and its fields checked against the scenario, the
// paginators return every item exactly once, and DryRun answers DryRunOperation.
//
// Organizations is not covered here: only @aws-sdk/client-sts and @aws-sdk/client-ec2 are
// installed for these tests (the Python suites drive Organizations).

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

import { AssumeRoleCommand } from "@aws-sdk/client-sts";
import {
  DescribeAddressesCommand,
  DescribeAvailabilityZonesCommand,
  DescribeImagesCommand,
  DescribeInstancesCommand,
  DescribeKeyPairsCommand,
  DescribeNetworkInterfacesCommand,
  DescribeRegionsCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeTagsCommand,
  DescribeVolumesCommand,
  DescribeVpcsCommand,
  paginateDescribeInstances,
  paginateDescribeNetworkInterfaces,
  paginateDescribeSecurityGroups,
  paginateDescribeSubnets,
  paginateDescribeTags,
  paginateDescribeVolumes,
  paginateDescribeVpcs,
} from "@aws-sdk/client-ec2";

import {
  DISCOVERY,
  ec2,
  errorOf,
  isolateAwsEnvironment,
  serviceError,
  sessionCredentials,
  startServer,
  sts,
} from "./rolecall.mjs";

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

const MANAGEMENT = "111111111111";
const BIG = "200000000001";
const INSTANCE_COUNT = 60; // the last one is terminated, the second stopped
const TYPES = ["t3.micro", "t3.small", "m5.large"];
const VPC = "vpc-0b000000000000001";
const SUBNET_A = "subnet-0b000000000000001";
const SUBNET_B = "subnet-0b000000000000002";
const SG_WEB = "sg-0b000000000000001";
const SG_DB = "sg-0b000000000000002";
const VOL_DATA = "vol-0b000000000000001";
const VOL_SPARE = "vol-0b000000000000002";
const AMI_WEB = "ami-0b000000000000001";
const AMI_DB = "ami-0b000000000000002";
const EIP_BOUND = "203.0.113.10";
const EIP_FREE = "203.0.113.11";
const ZONES = ["a", "b", "c", "d", "e", "f"].map((z) => `us-east-1${z}`);
const DRY_RUN = serviceError(
  412,
  "DryRunOperation",
  "Request would have succeeded, but DryRun flag is set.",
);

const instanceId = (n) => `i-0b${n.toString(16).padStart(15, "0")}`;
const ALL_IDS = Array.from({ length: INSTANCE_COUNT }, (_, k) => instanceId(k + 1)).sort();

function instanceSpec(n) {
  const spec = {
    id: instanceId(n),
    type: TYPES[(n - 1) % TYPES.length],
    tags: { Name: `node-${String(n).padStart(3, "0")}`, fleet: "discovery" },
  };
  if (n <= 10) {
    Object.assign(spec, {
      subnet_id: SUBNET_A,
      security_groups: [SG_WEB],
      key_name: "ops",
      image_id: AMI_WEB,
    });
  }
  if (n === 2) spec.state = "stopped";
  if (n === INSTANCE_COUNT) spec.state = "terminated";
  return spec;
}

/** The scenario, as JSON (which is YAML). */
function scenario() {
  const allow = (Action, Resource = "*") => ({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Action, Resource }],
  });
  return {
    description: `Member ${BIG} runs ${INSTANCE_COUNT} instances in us-east-1.`,
    organization: { management_account: MANAGEMENT },
    accounts: [
      {
        id: MANAGEMENT,
        users: [
          {
            name: "discovery",
            access_keys: [{ id: DISCOVERY.accessKeyId, secret: DISCOVERY.secretAccessKey }],
            policies: [{ name: "assume", document: allow("sts:AssumeRole") }],
          },
        ],
      },
      {
        id: BIG,
        ec2: {
          "us-east-1": {
            vpcs: [{ id: VPC, cidr_block: "10.0.0.0/16", tags: { Name: "prod" } }],
            subnets: [
              {
                id: SUBNET_A,
                vpc_id: VPC,
                cidr_block: "10.0.1.0/24",
                availability_zone: "us-east-1a",
                tags: { Name: "prod-a" },
              },
              {
                id: SUBNET_B,
                vpc_id: VPC,
                cidr_block: "10.0.2.0/24",
                availability_zone: "us-east-1b",
                map_public_ip_on_launch: true,
              },
            ],
            security_groups: [
              {
                id: SG_WEB,
                name: "web",
                description: "web servers",
                vpc_id: VPC,
                ingress: [{ protocol: "tcp", from_port: 443, cidr: "0.0.0.0/0" }],
              },
              {
                id: SG_DB,
                name: "db",
                description: "databases",
                vpc_id: VPC,
                ingress: [{ protocol: "tcp", from_port: 5432, source_group: SG_WEB }],
              },
            ],
            instances: Array.from({ length: INSTANCE_COUNT }, (_, k) => instanceSpec(k + 1)),
            volumes: [
              { id: VOL_DATA, size: 100, attached_to: instanceId(1), tags: { Name: "data" } },
              {
                id: VOL_SPARE,
                type: "gp2",
                size: 50,
                availability_zone: "us-east-1b",
                encrypted: true,
              },
            ],
            images: [
              { id: AMI_WEB, name: "golden-web-2025", tags: { Role: "web" } },
              { id: AMI_DB, name: "golden-db-2025", architecture: "arm64" },
            ],
            key_pairs: [{ name: "ops" }, { name: "deploy", type: "ed25519" }],
            addresses: [
              { public_ip: EIP_BOUND, instance_id: instanceId(3), tags: { Name: "api" } },
              { public_ip: EIP_FREE },
            ],
          },
        },
      },
    ],
  };
}

let server;
let cleanup;
let client;

before(async () => {
  cleanup = isolateAwsEnvironment();
  // The private HOME made above is removed at the end, scenario included.
  const path = join(process.env.HOME, "discovery.yaml");
  writeFileSync(path, `# Generated by discovery.test.mjs.\n${JSON.stringify(scenario(), null, 1)}\n`);
  server = await startServer(path);
  const out = await sts(server, DISCOVERY).send(
    new AssumeRoleCommand({
      RoleArn: `arn:aws:iam::${BIG}:role/OrganizationAccountAccessRole`,
      RoleSessionName: "discovery",
    }),
  );
  client = ec2(server, sessionCredentials(out.Credentials));
});

after(async () => {
  await server?.stop();
  cleanup?.();
});

const tags = (resource) => Object.fromEntries((resource.Tags ?? []).map((t) => [t.Key, t.Value]));

/** Every page of a paginator run at `pageSize`, as arrays of the items under `key`. */
async function pagesOf(paginate, pageSize, key) {
  const pages = [];
  for await (const page of paginate({ client, pageSize }, {})) pages.push(page[key] ?? []);
  return pages;
}

function assertFullPages(pages, pageSize, total) {
  const expected = Array(Math.floor(total / pageSize)).fill(pageSize);
  if (total % pageSize) expected.push(total % pageSize);
  assert.deepEqual(
    pages.map((p) => p.length),
    expected,
  );
}

for (const pageSize of [5, 7, 1000]) {
  test(`the DescribeInstances paginator at ${pageSize} returns every instance once`, async () => {
    const pages = await pagesOf(paginateDescribeInstances, pageSize, "Reservations");
    assertFullPages(pages, pageSize, INSTANCE_COUNT);
    const instances = pages.flat().flatMap((r) => r.Instances);
    assert.deepEqual(
      instances.map((i) => i.InstanceId),
      ALL_IDS,
    );
    for (const i of instances) {
      const n = Number.parseInt(i.InstanceId.slice(4), 16);
      assert.equal(i.InstanceType, TYPES[(n - 1) % TYPES.length]);
      const state = n === 2 ? "stopped" : n === INSTANCE_COUNT ? "terminated" : "running";
      assert.equal(i.State.Name, state);
      assert.equal(i.LaunchTime instanceof Date, true);
      assert.deepEqual(tags(i), { Name: `node-${String(n).padStart(3, "0")}`, fleet: "discovery" });
    }
  });
}

const LIVE = INSTANCE_COUNT - 1;
for (const [name, paginate, key, idKey, total] of [
  ["DescribeNetworkInterfaces", paginateDescribeNetworkInterfaces, "NetworkInterfaces", "NetworkInterfaceId", LIVE],
  ["DescribeVolumes", paginateDescribeVolumes, "Volumes", "VolumeId", LIVE + 2],
  ["DescribeSecurityGroups", paginateDescribeSecurityGroups, "SecurityGroups", "GroupId", 4],
  ["DescribeSubnets", paginateDescribeSubnets, "Subnets", "SubnetId", 2 + ZONES.length],
  ["DescribeVpcs", paginateDescribeVpcs, "Vpcs", "VpcId", 2],
  // Two tags on each instance; one each on the VPC, subnet A, the data volume, the web image
  // and the bound address.
  ["DescribeTags", paginateDescribeTags, "Tags", "ResourceId", 2 * INSTANCE_COUNT + 5],
]) {
  test(`the ${name} paginator at 5 returns every item once`, async () => {
    const pages = await pagesOf(paginate, 5, key);
    assertFullPages(pages, 5, total);
    const items = pages.flat();
    const ids = items.map((item) => (key === "Tags" ? `${item[idKey]}/${item.Key}` : item[idKey]));
    assert.equal(new Set(ids).size, total);
  });
}

test("DescribeRegions with AllRegions", async () => {
  const every = (await client.send(new DescribeRegionsCommand({ AllRegions: true }))).Regions;
  const east = every.find((r) => r.RegionName === "us-east-1");
  assert.deepEqual(east, {
    RegionName: "us-east-1",
    Endpoint: "ec2.us-east-1.amazonaws.com",
    OptInStatus: "opt-in-not-required",
  });
  assert.equal(every.find((r) => r.RegionName === "af-south-1").OptInStatus, "not-opted-in");
  const enabled = (await client.send(new DescribeRegionsCommand({}))).Regions;
  assert.deepEqual(
    enabled.map((r) => r.RegionName),
    every.filter((r) => r.OptInStatus === "opt-in-not-required").map((r) => r.RegionName),
  );
});

test("DescribeAvailabilityZones", async () => {
  const zones = (await client.send(new DescribeAvailabilityZonesCommand({}))).AvailabilityZones;
  assert.deepEqual(
    zones.map((z) => [z.ZoneName, z.ZoneId, z.State, z.RegionName, z.ZoneType]),
    ZONES.map((name, k) => [name, `use1-az${k + 1}`, "available", "us-east-1", "availability-zone"]),
  );
});

test("DescribeVpcs", async () => {
  const vpcs = (await client.send(new DescribeVpcsCommand({}))).Vpcs;
  const prod = vpcs.find((v) => v.VpcId === VPC);
  assert.equal(prod.CidrBlock, "10.0.0.0/16");
  assert.equal(prod.IsDefault, false);
  assert.equal(prod.State, "available");
  assert.equal(prod.OwnerId, BIG);
  assert.deepEqual(tags(prod), { Name: "prod" });
  const defaults = vpcs.filter((v) => v.IsDefault);
  assert.deepEqual(
    defaults.map((v) => v.CidrBlock),
    ["172.31.0.0/16"],
  );
});

test("DescribeSubnets", async () => {
  const subnets = (await client.send(new DescribeSubnetsCommand({}))).Subnets;
  const a = subnets.find((s) => s.SubnetId === SUBNET_A);
  const b = subnets.find((s) => s.SubnetId === SUBNET_B);
  assert.deepEqual(
    [a.VpcId, a.CidrBlock, a.AvailabilityZone, a.AvailabilityZoneId, a.MapPublicIpOnLaunch],
    [VPC, "10.0.1.0/24", "us-east-1a", "use1-az1", false],
  );
  assert.deepEqual(
    [b.VpcId, b.CidrBlock, b.AvailabilityZone, b.AvailabilityZoneId, b.MapPublicIpOnLaunch],
    [VPC, "10.0.2.0/24", "us-east-1b", "use1-az2", true],
  );
  // 251 usable addresses in a /24; the first ten instances sit in subnet A.
  assert.deepEqual([a.AvailableIpAddressCount, b.AvailableIpAddressCount], [241, 251]);
  assert.equal(a.SubnetArn, `arn:aws:ec2:us-east-1:${BIG}:subnet/${SUBNET_A}`);
  assert.deepEqual(tags(a), { Name: "prod-a" });
  const defaults = subnets.filter((s) => s.DefaultForAz);
  assert.deepEqual(defaults.map((s) => s.AvailabilityZone).sort(), ZONES);
});

test("DescribeSecurityGroups", async () => {
  const groups = (await client.send(new DescribeSecurityGroupsCommand({}))).SecurityGroups;
  const web = groups.find((g) => g.GroupId === SG_WEB);
  const db = groups.find((g) => g.GroupId === SG_DB);
  assert.deepEqual([web.GroupName, web.Description, web.VpcId], ["web", "web servers", VPC]);
  assert.deepEqual(web.IpPermissions, [
    {
      IpProtocol: "tcp",
      FromPort: 443,
      ToPort: 443,
      IpRanges: [{ CidrIp: "0.0.0.0/0" }],
      Ipv6Ranges: [],
      PrefixListIds: [],
      UserIdGroupPairs: [],
    },
  ]);
  assert.equal(web.IpPermissionsEgress[0].IpProtocol, "-1");
  assert.deepEqual(db.IpPermissions[0].UserIdGroupPairs, [{ UserId: BIG, GroupId: SG_WEB }]);
  assert.deepEqual([db.IpPermissions[0].FromPort, db.IpPermissions[0].ToPort], [5432, 5432]);
  assert.deepEqual(
    groups.filter((g) => g.GroupName === "default").map((g) => g.Description),
    ["default VPC security group", "default VPC security group"],
  );
});

test("DescribeVolumes", async () => {
  const out = await client.send(new DescribeVolumesCommand({ VolumeIds: [VOL_DATA, VOL_SPARE] }));
  const [data, spare] = out.Volumes.sort((x, y) => x.VolumeId.localeCompare(y.VolumeId));
  assert.deepEqual(
    [data.Size, data.VolumeType, data.State, data.Encrypted, data.AvailabilityZone],
    [100, "gp3", "in-use", false, "us-east-1a"],
  );
  assert.deepEqual(
    data.Attachments.map((a) => [a.InstanceId, a.Device, a.State]),
    [[instanceId(1), "/dev/sdf", "attached"]],
  );
  assert.ok(data.CreateTime instanceof Date);
  assert.deepEqual(tags(data), { Name: "data" });
  assert.deepEqual(
    [spare.Size, spare.VolumeType, spare.State, spare.Encrypted, spare.AvailabilityZone],
    [50, "gp2", "available", true, "us-east-1b"],
  );
  assert.deepEqual(spare.Attachments, []);
});

test("DescribeImages owned by self", async () => {
  const images = (await client.send(new DescribeImagesCommand({ Owners: ["self"] }))).Images;
  assert.deepEqual(
    images.map((i) => [i.ImageId, i.Name, i.Architecture, i.OwnerId, i.Public, i.State]).sort(),
    [
      [AMI_WEB, "golden-web-2025", "x86_64", BIG, false, "available"],
      [AMI_DB, "golden-db-2025", "arm64", BIG, false, "available"],
    ].sort(),
  );
  assert.deepEqual(tags(images.find((i) => i.ImageId === AMI_WEB)), { Role: "web" });
});

test("DescribeNetworkInterfaces", async () => {
  const out = await client.send(
    new DescribeNetworkInterfacesCommand({
      Filters: [{ Name: "attachment.instance-id", Values: [instanceId(3)] }],
    }),
  );
  assert.equal(out.NetworkInterfaces.length, 1);
  const [eni] = out.NetworkInterfaces;
  assert.deepEqual([eni.SubnetId, eni.VpcId, eni.AvailabilityZone], [SUBNET_A, VPC, "us-east-1a"]);
  assert.deepEqual(eni.Groups, [{ GroupId: SG_WEB, GroupName: "web" }]);
  assert.equal(eni.Attachment.InstanceId, instanceId(3));
  assert.equal(eni.Attachment.DeviceIndex, 0);
  assert.equal(eni.Status, "in-use");
  assert.equal(eni.Association.PublicIp, EIP_BOUND);
  assert.match(eni.MacAddress, /^([0-9a-f]{2}:){5}[0-9a-f]{2}$/);
});

test("DescribeKeyPairs", async () => {
  const pairs = (await client.send(new DescribeKeyPairsCommand({}))).KeyPairs;
  assert.deepEqual(
    pairs.map((k) => [k.KeyName, k.KeyType]).sort(),
    [
      ["deploy", "ed25519"],
      ["ops", "rsa"],
    ],
  );
  for (const k of pairs) assert.match(k.KeyPairId, /^key-[0-9a-f]{17}$/);
});

test("DescribeTags", async () => {
  const out = await client.send(
    new DescribeTagsCommand({ Filters: [{ Name: "resource-id", Values: [instanceId(1)] }] }),
  );
  assert.deepEqual(out.Tags, [
    { Key: "Name", ResourceId: instanceId(1), ResourceType: "instance", Value: "node-001" },
    { Key: "fleet", ResourceId: instanceId(1), ResourceType: "instance", Value: "discovery" },
  ]);
});

test("DescribeAddresses", async () => {
  const addresses = (await client.send(new DescribeAddressesCommand({}))).Addresses;
  const bound = addresses.find((a) => a.PublicIp === EIP_BOUND);
  const free = addresses.find((a) => a.PublicIp === EIP_FREE);
  assert.equal(addresses.length, 2);
  assert.equal(bound.InstanceId, instanceId(3));
  assert.equal(bound.Domain, "vpc");
  assert.match(bound.AllocationId, /^eipalloc-/);
  assert.match(bound.AssociationId, /^eipassoc-/);
  assert.deepEqual(tags(bound), { Name: "api" });
  assert.equal(free.InstanceId, undefined);
  assert.equal(free.AssociationId, undefined);
  const reservations = (
    await client.send(new DescribeInstancesCommand({ InstanceIds: [instanceId(3)] }))
  ).Reservations;
  assert.equal(reservations[0].Instances[0].PublicIpAddress, EIP_BOUND);
});

for (const [Command, input] of [
  [DescribeRegionsCommand, { AllRegions: true }],
  [DescribeAvailabilityZonesCommand, {}],
  [DescribeInstancesCommand, {}],
  [DescribeVpcsCommand, {}],
  [DescribeSubnetsCommand, {}],
  [DescribeSecurityGroupsCommand, {}],
  [DescribeVolumesCommand, {}],
  [DescribeImagesCommand, { Owners: ["self"] }],
  [DescribeNetworkInterfacesCommand, {}],
  [DescribeKeyPairsCommand, {}],
  [DescribeTagsCommand, {}],
  [DescribeAddressesCommand, {}],
]) {
  test(`${Command.name} with DryRun is DryRunOperation`, async () => {
    assert.deepEqual(await errorOf(client.send(new Command({ ...input, DryRun: true }))), DRY_RUN);
  });
}
