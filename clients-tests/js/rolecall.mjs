// Shared helpers for the JavaScript SDK tests: start the real `rolecall`
// binary on a loopback port and build clients that can only ever reach it.

import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname, resolve } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { after, afterEach, before, beforeEach } from "node:test";

import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { EC2Client } from "@aws-sdk/client-ec2";

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, "..", "..");
const BANNER = "rolecall listening on http://127.0.0.1:";
const START_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 10_000;

export const MANAGEMENT_ACCOUNT = "111111111111";
export const INVITED_ACCOUNT = "222222222222";
export const CREATED_ACCOUNT = "333333333333";
export const DISCOVERY_USER_ARN = "arn:aws:iam::111111111111:user/discovery";
export const DISCOVERY = {
  accessKeyId: "AKIAIOSFODNN7EXAMPLE",
  secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
};
export const UNKNOWN_KEY = "AKIAUNKNOWNEXAMPLE01";
export const WRONG_SECRET = "wrongSecretwrongSecretwrongSecretwrongSe";
export const ASSUMED_ROLE_ARN =
  "arn:aws:sts::333333333333:assumed-role/OrganizationAccountAccessRole/discovery";
export const CREATED_US_EAST_1 = [
  "i-03330000000000001",
  "i-03330000000000002",
  "i-03330000000000003",
  "i-03330000000000004",
  "i-03330000000000005",
];
export const CREATED_EU_WEST_1 = ["i-03330000000000e01", "i-03330000000000e02"];

/** { status, name, code, message } of the error the SDK raises for a service error `code`. */
export function serviceError(status, code, message) {
  return { status, name: code, code, message };
}

// The default scenario's refused calls.
export const ACCESS_DENIED_INVITED = serviceError(
  403,
  "AccessDenied",
  "User: arn:aws:iam::111111111111:user/discovery is not authorized to perform: " +
    "sts:AssumeRole on resource: arn:aws:iam::222222222222:role/OrganizationAccountAccessRole",
);
export const UNAUTHORIZED_DESCRIBE = serviceError(
  403,
  "UnauthorizedOperation",
  "You are not authorized to perform this operation. User: " +
    "arn:aws:iam::111111111111:user/discovery is not authorized to perform: " +
    "ec2:DescribeInstances because no identity-based policy allows the " +
    "ec2:DescribeInstances action",
);
export const AUTH_FAILURE = serviceError(
  401,
  "AuthFailure",
  "AWS was not able to validate the provided access credentials",
);
export const INVALID_TOKEN_UNKNOWN_KEY = serviceError(
  403,
  "InvalidClientTokenId",
  "The security token included in the request is invalid.",
);
export const INVALID_TOKEN_ALTERED = serviceError(
  403,
  "InvalidClientTokenId",
  "The security token included in the request is invalid",
);
export const SIGNATURE_MISMATCH = serviceError(
  403,
  "SignatureDoesNotMatch",
  "The request signature we calculated does not match the signature you provided. " +
    "Check your AWS Secret Access Key and signing method. Consult the service " +
    "documentation for details.",
);

export function roleArn(account) {
  return `arn:aws:iam::${account}:role/OrganizationAccountAccessRole`;
}

/** Changes one character in the middle of a token, keeping its alphabet. */
export function alterMiddle(token) {
  const mid = Math.floor(token.length / 2);
  return token.slice(0, mid) + (token[mid] === "A" ? "B" : "A") + token.slice(mid + 1);
}

/**
 * Keeps this test process away from any real AWS setup: a private HOME, empty
 * config and credentials files, no AWS_* variables, one attempt per call.
 * Returns a function that removes the temporary HOME.
 */
export function isolateAwsEnvironment() {
  for (const name of Object.keys(process.env)) {
    if (name.startsWith("AWS_")) delete process.env[name];
  }
  const home = mkdtempSync(join(tmpdir(), "rolecall-js-"));
  writeFileSync(join(home, "aws-config"), "");
  writeFileSync(join(home, "aws-credentials"), "");
  Object.assign(process.env, {
    HOME: home,
    AWS_CONFIG_FILE: join(home, "aws-config"),
    AWS_SHARED_CREDENTIALS_FILE: join(home, "aws-credentials"),
    AWS_MAX_ATTEMPTS: "1",
    AWS_EC2_METADATA_DISABLED: "true",
    AWS_REGION: "us-east-1",
  });
  return () => rmSync(home, { recursive: true, force: true });
}

/**
 * Starts `rolecall serve --listen 127.0.0.1:0`, on `scenario` (a file path) when given, else on
 * the embedded default; resolves to { endpoint, output, stop }.
 */
export async function startServer(scenario) {
  const bin = process.env.ROLECALL_BIN || join(repo, "target", "debug", "rolecall");
  if (!existsSync(bin)) {
    throw new Error(
      `rolecall binary not found at ${bin} (build it with \`cargo build -p rolecall\` or set ROLECALL_BIN)`,
    );
  }
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith("AWS_")),
  );
  const args = scenario
    ? ["serve", "--scenario", scenario, "--listen", "127.0.0.1:0"]
    : ["serve", "--listen", "127.0.0.1:0"];
  const child = spawn(bin, args, {
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output = [];
  const exited = new Promise((resolveExit) => child.once("exit", resolveExit));
  // Keep draining both streams for the server's whole life.
  createInterface({ input: child.stderr }).on("line", (line) => output.push(line));
  const lines = createInterface({ input: child.stdout });

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    let timer;
    const timeout = new Promise((r) => {
      timer = setTimeout(() => {
        child.kill("SIGKILL");
        r();
      }, STOP_TIMEOUT_MS);
    });
    await Promise.race([exited, timeout]);
    clearTimeout(timer);
  };

  let timer;
  try {
    const first = await Promise.race([
      new Promise((r) => lines.once("line", r)),
      exited.then((code) => {
        throw new Error(`rolecall exited (${code}) before printing; output: ${output.join("\n")}`);
      }),
      new Promise((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`rolecall printed nothing within ${START_TIMEOUT_MS} ms`)),
          START_TIMEOUT_MS,
        );
      }),
    ]);
    lines.on("line", (line) => output.push(line));
    if (!first.startsWith(BANNER) || !/^\d+$/.test(first.slice(BANNER.length))) {
      throw new Error(`first stdout line is ${JSON.stringify(first)}, expected '${BANNER}PORT'`);
    }
    return { endpoint: first.slice("rolecall listening on ".length), output, stop };
  } catch (e) {
    await stop();
    throw e;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The server the tests of a file drive (see `startServer`), in an AWS environment isolated for
 * them (see `isolateAwsEnvironment`): one for all the tests, or with `perTest` a fresh one for
 * each. Returns a stand-in for the server whose `endpoint` is the running one's.
 */
export function serverForTests(scenario, { perTest = false } = {}) {
  let running;
  let cleanup;
  const [startHook, stopHook] = perTest ? [beforeEach, afterEach] : [before, after];
  before(() => {
    cleanup = isolateAwsEnvironment();
  });
  startHook(async () => {
    running = await startServer(scenario);
  });
  stopHook(async () => {
    await running?.stop();
    running = undefined;
  });
  after(() => cleanup?.());
  return {
    get endpoint() {
      return running.endpoint;
    },
  };
}

function clientConfig(server, credentials, region) {
  return {
    region,
    credentials,
    maxAttempts: 1,
    ...(server ? { endpoint: server.endpoint } : {}),
  };
}

/** An STS client; with server === null the endpoint comes from the environment. */
export function sts(server, credentials, region = "us-east-1") {
  return new STSClient(clientConfig(server, credentials, region));
}

export function ec2(server, credentials, region = "us-east-1") {
  return new EC2Client(clientConfig(server, credentials, region));
}

/** The SDK credentials of the `Credentials` an STS call returned. */
export function sessionCredentials(c) {
  return {
    accessKeyId: c.AccessKeyId,
    secretAccessKey: c.SecretAccessKey,
    sessionToken: c.SessionToken,
  };
}

/** The discovery user asks for OrganizationAccountAccessRole in `account`, session `discovery`. */
export function assumeOrganizationRole(server, account) {
  return sts(server, DISCOVERY).send(
    new AssumeRoleCommand({ RoleArn: roleArn(account), RoleSessionName: "discovery" }),
  );
}

/** { status, name, code, message } of the error a promise rejects with. */
export async function errorOf(promise) {
  try {
    const out = await promise;
    throw new Error(`expected an error, got ${JSON.stringify(out)}`);
  } catch (err) {
    if (err.$metadata === undefined) throw err;
    return {
      status: err.$metadata.httpStatusCode,
      name: err.name,
      code: err.Code,
      message: err.message,
    };
  }
}

export function instanceIds(out) {
  return (out.Reservations ?? []).flatMap((r) => (r.Instances ?? []).map((i) => i.InstanceId));
}
