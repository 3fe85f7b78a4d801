// EC2 through the AWS SDK for JavaScript v3 against the real `rolecall` binary.

import { test } from "node:test";
import assert from "node:assert/strict";

import { DescribeInstancesCommand, DescribeRegionsCommand } from "@aws-sdk/client-ec2";

import {
  AUTH_FAILURE,
  CREATED_ACCOUNT,
  CREATED_EU_WEST_1,
  CREATED_US_EAST_1,
  DISCOVERY,
  UNAUTHORIZED_DESCRIBE,
  UNKNOWN_KEY,
  alterMiddle,
  assumeOrganizationRole,
  ec2,
  errorOf,
  instanceIds,
  serverForTests,
  sessionCredentials,
} from "./rolecall.mjs";

const server = serverForTests();

async function roleCredentials() {
  return sessionCredentials((await assumeOrganizationRole(server, CREATED_ACCOUNT)).Credentials);
}

test("role session describes the instances of each region", async () => {
  const creds = await roleCredentials();
  const us = await ec2(server, creds, "us-east-1").send(new DescribeInstancesCommand({}));
  assert.deepEqual(instanceIds(us).sort(), CREATED_US_EAST_1);
  const eu = await ec2(server, creds, "eu-west-1").send(new DescribeInstancesCommand({}));
  assert.deepEqual(instanceIds(eu).sort(), CREATED_EU_WEST_1);
});

test("role session describes regions", async () => {
  const creds = await roleCredentials();
  const out = await ec2(server, creds).send(new DescribeRegionsCommand({}));
  for (const name of ["us-east-1", "eu-west-1"]) {
    const region = out.Regions.find((r) => r.RegionName === name);
    assert.ok(region, `DescribeRegions lacks ${name}`);
    assert.ok(region.Endpoint?.includes(name), `endpoint of ${name}: ${region.Endpoint}`);
  }
});

test("role session filters by instance-id and pages with MaxResults", async () => {
  const client = ec2(server, await roleCredentials());
  const filtered = await client.send(
    new DescribeInstancesCommand({
      Filters: [{ Name: "instance-id", Values: ["i-03330000000000003"] }],
    }),
  );
  assert.deepEqual(instanceIds(filtered), ["i-03330000000000003"]);

  const seen = [];
  let NextToken;
  let pages = 0;
  do {
    const page = await client.send(new DescribeInstancesCommand({ MaxResults: 5, NextToken }));
    const ids = instanceIds(page);
    assert.ok(ids.length <= 5, `a page holds ${ids.length} instances`);
    seen.push(...ids);
    NextToken = page.NextToken || undefined;
    pages += 1;
  } while (NextToken && pages < 10);
  assert.equal(NextToken, undefined, "paging did not end within 10 pages");
  assert.equal(new Set(seen).size, seen.length, `an id came twice: ${seen}`);
  assert.deepEqual(seen.sort(), CREATED_US_EAST_1);
});

test("the discovery user cannot describe instances", async () => {
  const err = await errorOf(ec2(server, DISCOVERY).send(new DescribeInstancesCommand({})));
  assert.deepEqual(err, UNAUTHORIZED_DESCRIBE);
});

test("EC2 with an unknown key is AuthFailure", async () => {
  const creds = { accessKeyId: UNKNOWN_KEY, secretAccessKey: DISCOVERY.secretAccessKey };
  const err = await errorOf(ec2(server, creds).send(new DescribeInstancesCommand({})));
  assert.deepEqual(err, AUTH_FAILURE);
});

test("EC2 with an altered session token is AuthFailure", async () => {
  const creds = await roleCredentials();
  creds.sessionToken = alterMiddle(creds.sessionToken);
  const err = await errorOf(ec2(server, creds).send(new DescribeInstancesCommand({})));
  assert.deepEqual(err, AUTH_FAILURE);
});
