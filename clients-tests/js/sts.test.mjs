// STS through the AWS SDK for JavaScript v3 against the real `rolecall` binary.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";

import { AssumeRoleCommand, GetCallerIdentityCommand } from "@aws-sdk/client-sts";

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
  errorOf,
  isolateAwsEnvironment,
  roleArn,
  startServer,
  sts,
} from "./rolecall.mjs";

let server;
let cleanup;

before(async () => {
  cleanup = isolateAwsEnvironment();
  server = await startServer();
});

after(async () => {
  await server?.stop();
  cleanup?.();
});

function assumeCreated() {
  return sts(server, DISCOVERY).send(
    new AssumeRoleCommand({ RoleArn: roleArn(CREATED_ACCOUNT), RoleSessionName: "discovery" }),
  );
}

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
  const out = await assumeCreated();
  const c = out.Credentials;
  assert.match(c.AccessKeyId, /^ASIA/);
  assert.ok(c.SecretAccessKey, "SecretAccessKey is empty");
  assert.ok(c.SessionToken, "SessionToken is empty");
  assert.ok(c.Expiration instanceof Date, "Expiration is a Date");
  const aheadMinutes = (c.Expiration.getTime() - Date.now()) / 60_000;
  assert.ok(aheadMinutes >= 50 && aheadMinutes <= 70, `Expiration ${aheadMinutes} min ahead`);
  assert.equal(out.AssumedRoleUser.Arn, ASSUMED_ROLE_ARN);
  assert.match(out.AssumedRoleUser.AssumedRoleId, /^AROA[^:]*:discovery$/);

  const who = await sts(server, {
    accessKeyId: c.AccessKeyId,
    secretAccessKey: c.SecretAccessKey,
    sessionToken: c.SessionToken,
  }).send(new GetCallerIdentityCommand({}));
  assert.equal(who.Arn, ASSUMED_ROLE_ARN);
  assert.equal(who.Account, CREATED_ACCOUNT);
});

test("AssumeRole into the invited member is AccessDenied", async () => {
  const err = await errorOf(
    sts(server, DISCOVERY).send(
      new AssumeRoleCommand({ RoleArn: roleArn(INVITED_ACCOUNT), RoleSessionName: "discovery" }),
    ),
  );
  assert.deepEqual(err, {
    status: 403,
    name: "AccessDenied",
    code: "AccessDenied",
    message: ACCESS_DENIED_INVITED,
  });
});

test("STS with an unknown key is InvalidClientTokenId", async () => {
  const err = await errorOf(
    sts(server, { accessKeyId: UNKNOWN_KEY, secretAccessKey: DISCOVERY.secretAccessKey }).send(
      new GetCallerIdentityCommand({}),
    ),
  );
  assert.deepEqual(err, {
    status: 403,
    name: "InvalidClientTokenId",
    code: "InvalidClientTokenId",
    message: INVALID_TOKEN_UNKNOWN_KEY,
  });
});

test("STS with a wrong secret is SignatureDoesNotMatch", async () => {
  const err = await errorOf(
    sts(server, { accessKeyId: DISCOVERY.accessKeyId, secretAccessKey: WRONG_SECRET }).send(
      new GetCallerIdentityCommand({}),
    ),
  );
  assert.deepEqual(err, {
    status: 403,
    name: "SignatureDoesNotMatch",
    code: "SignatureDoesNotMatch",
    message: SIGNATURE_MISMATCH,
  });
});

test("STS with an altered session token is InvalidClientTokenId", async () => {
  const c = (await assumeCreated()).Credentials;
  const err = await errorOf(
    sts(server, {
      accessKeyId: c.AccessKeyId,
      secretAccessKey: c.SecretAccessKey,
      sessionToken: alterMiddle(c.SessionToken),
    }).send(new GetCallerIdentityCommand({})),
  );
  assert.deepEqual(err, {
    status: 403,
    name: "InvalidClientTokenId",
    code: "InvalidClientTokenId",
    message: INVALID_TOKEN_ALTERED,
  });
});
