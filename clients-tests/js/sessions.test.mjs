// Sessions and time through the AWS SDK for JavaScript v3, on
// scenarios/role-chaining-one-hour.yaml: discovery (111111111111) assumes Hop (222222222222,
// MaxSessionDuration 7200), which assumes Inventory (333333333333). The tests move the
// emulator's clock through POST /_rolecall/clock, so each starts its own server.

import { test } from "node:test";
import assert from "node:assert/strict";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

import { AssumeRoleCommand, GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { DescribeInstancesCommand } from "@aws-sdk/client-ec2";

import {
  DISCOVERY,
  ec2,
  errorOf,
  instanceIds,
  serverForTests,
  serviceError,
  sessionCredentials,
  sts,
} from "./rolecall.mjs";

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const SCENARIO = join(repo, "scenarios", "role-chaining-one-hour.yaml");
const HTTP_TIMEOUT_MS = 10_000;

const HOP = "arn:aws:iam::222222222222:role/Hop";
const INVENTORY = "arn:aws:iam::333333333333:role/Inventory";
const SCENARIO_START = Date.parse("2026-01-01T00:00:00Z");
const EXPIRED_TOKEN = serviceError(
  403,
  "ExpiredToken",
  "The security token included in the request is expired",
);
const REQUEST_EXPIRED = serviceError(400, "RequestExpired", "Request has expired.");
const CHAINING_LIMIT = serviceError(
  400,
  "ValidationError",
  "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.",
);

const server = serverForTests(SCENARIO, { perTest: true });

/** GET /_rolecall/clock, or POST `change` to it; resolves to the clock's time in ms. */
async function clock(server, change) {
  const response = await fetch(`${server.endpoint}/_rolecall/clock`, {
    method: change ? "POST" : "GET",
    headers: { "content-type": "application/json" },
    body: change ? JSON.stringify(change) : undefined,
    signal: AbortSignal.timeout(HTTP_TIMEOUT_MS),
  });
  assert.equal(response.status, 200);
  const answer = await response.json();
  assert.equal(answer.frozen, true);
  return Date.parse(answer.clock);
}

async function advanceClock(server, seconds) {
  const before = await clock(server);
  assert.equal(await clock(server, { advance_seconds: seconds }), before + seconds * 1000);
}

function assume(credentials, RoleArn, RoleSessionName, extra = {}) {
  return sts(server, credentials).send(
    new AssumeRoleCommand({ RoleArn, RoleSessionName, ...extra }),
  );
}

/** `expiration` is `seconds` from now by the wall clock: STS reports expiry in the client's
 * time (the wall clock plus what the emulator's clock leaves), whatever the emulator's clock
 * says. */
function assertExpiresIn(expiration, seconds) {
  const ahead = (expiration.getTime() - Date.now()) / 1000;
  assert.ok(ahead > seconds - 30 && ahead <= seconds, `Expiration ${ahead} s ahead, not ${seconds}`);
}

test("AssumeRole returns session credentials that expire an hour after the emulator's now", async () => {
  assert.equal(await clock(server), SCENARIO_START);
  const out = await assume(DISCOVERY, HOP, "hop");
  const c = out.Credentials;
  assert.match(c.AccessKeyId, /^ASIA[A-Z0-9]{16}$/);
  assert.equal(c.SecretAccessKey.length, 40);
  assert.ok(c.SessionToken.length > 0, "SessionToken is empty");
  assert.ok(c.Expiration instanceof Date, "Expiration is a Date");
  // The emulator's clock stands at 2026-01-01; the client is told an hour of its own time.
  assertExpiresIn(c.Expiration, 3600);
  assert.equal(out.AssumedRoleUser.Arn, "arn:aws:sts::222222222222:assumed-role/Hop/hop");
  assert.match(out.AssumedRoleUser.AssumedRoleId, /^AROA[A-Z0-9]{17}:hop$/);
  assert.equal(out.PackedPolicySize, undefined);

  const who = await sts(server, sessionCredentials(c)).send(new GetCallerIdentityCommand({}));
  assert.equal(who.Arn, "arn:aws:sts::222222222222:assumed-role/Hop/hop");
  assert.equal(who.Account, "222222222222");
  assert.equal(who.UserId, out.AssumedRoleUser.AssumedRoleId);

  // With the emulator's clock on the wall clock, the Date is about an hour from now.
  const now = Math.floor(Date.now() / 1000) * 1000;
  assert.equal(await clock(server, { set: new Date(now).toISOString() }), now);
  const fresh = (await assume(DISCOVERY, HOP, "hop")).Credentials;
  assert.equal(fresh.Expiration.getTime(), now + 3600_000);
  const ahead = (fresh.Expiration.getTime() - Date.now()) / 60_000;
  assert.ok(ahead > 59 && ahead <= 60, `Expiration ${ahead} min ahead`);

});

test("a chained AssumeRole asking for two hours is refused", async () => {
  const hop = (await assume(DISCOVERY, HOP, "hop", { DurationSeconds: 7200 })).Credentials;
  assertExpiresIn(hop.Expiration, 7200);
  const hopKeys = sessionCredentials(hop);
  const err = await errorOf(assume(hopKeys, INVENTORY, "inventory", { DurationSeconds: 7200 }));
  assert.deepEqual(err, CHAINING_LIMIT);
  const chained = await assume(hopKeys, INVENTORY, "inventory");
  assertExpiresIn(chained.Credentials.Expiration, 3600);
  assert.equal(
    chained.AssumedRoleUser.Arn,
    "arn:aws:sts::333333333333:assumed-role/Inventory/inventory",
  );
});

test("chained credentials expire after an hour while the two-hour first hop lives on", async () => {
  const first = await assume(DISCOVERY, HOP, "hop", { DurationSeconds: 7200 });
  const hop = sessionCredentials(first.Credentials);
  const chained = sessionCredentials((await assume(hop, INVENTORY, "inventory")).Credentials);
  const listed = await ec2(server, chained).send(new DescribeInstancesCommand({}));
  assert.deepEqual(instanceIds(listed).sort(), ["i-03330000000000001", "i-03330000000000002"]);

  await advanceClock(server, 3601);

  assert.deepEqual(
    await errorOf(sts(server, chained).send(new GetCallerIdentityCommand({}))),
    EXPIRED_TOKEN,
  );
  assert.deepEqual(
    await errorOf(ec2(server, chained).send(new DescribeInstancesCommand({}))),
    REQUEST_EXPIRED,
  );
  const who = await sts(server, hop).send(new GetCallerIdentityCommand({}));
  assert.equal(who.Arn, "arn:aws:sts::222222222222:assumed-role/Hop/hop");
  const hub = await ec2(server, hop).send(new DescribeInstancesCommand({}));
  assert.deepEqual(instanceIds(hub), ["i-02220000000000001"]);
});
