// STS through the AWS SDK for JavaScript v3 against the real `rolecall` binary.

import { test } from "node:test";
import assert from "node:assert/strict";

import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";

import {
  ACCESS_DENIED_INVITED,
  ASSUMED_ROLE_ARN,
  CREATED_ACCOUNT,
  DISCOVERY,
  DISCOVERY_USER_ARN,
  INVALID_TOKEN_ALTERED,
  INVALID_TOKEN_UNKNOWN_KEY,
  INVITED_ACCOUNT,
  MANAGEMENT_ACCOUNT,
  SIGNATURE_MISMATCH,
  UNKNOWN_KEY,
  WRONG_SECRET,
  alterMiddle,
  assumeOrganizationRole,
  errorOf,
  serverForTests,
  sessionCredentials,
  sts,
} from "./rolecall.mjs";

const server = serverForTests();

test("GetCallerIdentity as the discovery user", async () => {
  const out = await sts(server, DISCOVERY).send(new GetCallerIdentityCommand({}));
  assert.equal(out.Account, MANAGEMENT_ACCOUNT);
  assert.equal(out.Arn, DISCOVERY_USER_ARN);
  assert.match(out.UserId, /^AIDA/);
});

test("GetCallerIdentity with the endpoint from AWS_ENDPOINT_URL", async () => {
  process.env.AWS_ENDPOINT_URL = server.endpoint;
  try {
    const out = await sts(null, DISCOVERY).send(new GetCallerIdentityCommand({}));
    assert.equal(out.Arn, DISCOVERY_USER_ARN);
  } finally {
    delete process.env.AWS_ENDPOINT_URL;
  }
});

test("AssumeRole into the created member returns session credentials", async () => {
  const out = await assumeOrganizationRole(server, CREATED_ACCOUNT);
  const c = out.Credentials;
  assert.match(c.AccessKeyId, /^ASIA/);
  assert.ok(c.SecretAccessKey, "SecretAccessKey is empty");
  assert.ok(c.SessionToken, "SessionToken is empty");
  assert.ok(c.Expiration instanceof Date, "Expiration is a Date");
  const aheadMinutes = (c.Expiration.getTime() - Date.now()) / 60_000;
  assert.ok(aheadMinutes >= 50 && aheadMinutes <= 70, `Expiration ${aheadMinutes} min ahead`);
  assert.equal(out.AssumedRoleUser.Arn, ASSUMED_ROLE_ARN);
  assert.match(out.AssumedRoleUser.AssumedRoleId, /^AROA[^:]*:discovery$/);

  const who = await sts(server, sessionCredentials(c)).send(new GetCallerIdentityCommand({}));
  assert.equal(who.Arn, ASSUMED_ROLE_ARN);
  assert.equal(who.Account, CREATED_ACCOUNT);
});

test("AssumeRole into the invited member is AccessDenied", async () => {
  const err = await errorOf(assumeOrganizationRole(server, INVITED_ACCOUNT));
  assert.deepEqual(err, ACCESS_DENIED_INVITED);
});

test("STS with an unknown key is InvalidClientTokenId", async () => {
  const creds = { accessKeyId: UNKNOWN_KEY, secretAccessKey: DISCOVERY.secretAccessKey };
  const err = await errorOf(sts(server, creds).send(new GetCallerIdentityCommand({})));
  assert.deepEqual(err, INVALID_TOKEN_UNKNOWN_KEY);
});

test("STS with a wrong secret is SignatureDoesNotMatch", async () => {
  const creds = { accessKeyId: DISCOVERY.accessKeyId, secretAccessKey: WRONG_SECRET };
  const err = await errorOf(sts(server, creds).send(new GetCallerIdentityCommand({})));
  assert.deepEqual(err, SIGNATURE_MISMATCH);
});

test("STS with an altered session token is InvalidClientTokenId", async () => {
  const out = await assumeOrganizationRole(server, CREATED_ACCOUNT);
  const creds = sessionCredentials(out.Credentials);
  creds.sessionToken = alterMiddle(creds.sessionToken);
  const err = await errorOf(sts(server, creds).send(new GetCallerIdentityCommand({})));
  assert.deepEqual(err, INVALID_TOKEN_ALTERED);
});
