//! What the STS tests share: a scenario with roles for every part of AssumeRole's contract,
//! and small helpers over `tests/common`.
#![allow(dead_code)]

use rolecall_model::mfa::{base32_decode, totp};
use rolecall_test_support::*;

pub(crate) const NOBODY_KEY: &str = "AKIANOBODYNOBODY0001";
pub(crate) const NOBODY_SECRET: &str = "nobodynobodynobodynobodynobodynobodynobo";
pub(crate) const ROOT_KEY: &str = "AKIAROOTROOTROOT0001";
pub(crate) const ROOT_SECRET: &str = "rootrootrootrootrootrootrootrootrootroot";
pub(crate) const MFA_SERIAL: &str = "arn:aws:iam::111111111111:mfa/discovery";
pub(crate) const MFA_SECRET: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
/// The scenario's frozen clock: 2026-01-01T00:00:00Z.
pub(crate) const START: i64 = 1_767_225_600;

pub(crate) fn role(account: &str, name: &str) -> String {
    format!("arn:aws:iam::{account}:role/{name}")
}

/// Account 111111111111 holds the callers; 222222222222 the roles of every kind of trust.
pub(crate) const CONTRACT: &str = r#"
clock: { start: "2026-01-01T00:00:00Z", frozen: true }
accounts:
  - id: "111111111111"
    root_access_keys:
      - { id: AKIAROOTROOTROOT0001, secret: rootrootrootrootrootrootrootrootrootroot }
    users:
      - name: discovery
        access_keys:
          - { id: AKIAIOSFODNN7EXAMPLE, secret: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY }
        mfa_devices:
          - { name: discovery, secret_base32: GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ }
        policies:
          - name: Sts
            document:
              Version: "2012-10-17"
              Statement:
                - Effect: Allow
                  Action: [sts:AssumeRole, sts:TagSession, sts:SetSourceIdentity, sts:GetAccessKeyInfo, sts:DecodeAuthorizationMessage]
                  Resource: "*"
      - name: nobody
        access_keys:
          - { id: AKIANOBODYNOBODY0001, secret: nobodynobodynobodynobodynobodynobodynobo }
  - id: "222222222222"
    policies:
      - name: RegionsOnly
        document:
          Version: "2012-10-17"
          Statement:
            - { Effect: Allow, Action: ec2:DescribeRegions, Resource: "*" }
    roles:
      - name: Open
        max_session_duration: 7200
        trust_policy:
          Version: "2012-10-17"
          Statement:
            - Effect: Allow
              Principal: { AWS: "arn:aws:iam::111111111111:root" }
              Action: [sts:AssumeRole, sts:TagSession, sts:SetSourceIdentity]
        policies:
          - name: Work
            document:
              Version: "2012-10-17"
              Statement:
                - Effect: Allow
                  Action: [ec2:Describe*, sts:AssumeRole, sts:TagSession, sts:SetSourceIdentity]
                  Resource: "*"
      - name: Plain
        trust_policy:
          Version: "2012-10-17"
          Statement:
            - { Effect: Allow, Principal: { AWS: "arn:aws:iam::111111111111:root" }, Action: sts:AssumeRole }
        policies:
          - name: AssumeOnly
            document:
              Version: "2012-10-17"
              Statement:
                - { Effect: Allow, Action: sts:AssumeRole, Resource: "*" }
      - name: NoTags
        trust_policy:
          Version: "2012-10-17"
          Statement:
            - { Effect: Allow, Principal: { AWS: "arn:aws:iam::111111111111:root" }, Action: sts:AssumeRole }
      - name: NeedsMfa
        trust_policy:
          Version: "2012-10-17"
          Statement:
            - Effect: Allow
              Principal: { AWS: "arn:aws:iam::111111111111:root" }
              Action: sts:AssumeRole
              Condition: { Bool: { "aws:MultiFactorAuthPresent": "true" } }
      - name: NeedsFreshMfa
        trust_policy:
          Version: "2012-10-17"
          Statement:
            - Effect: Allow
              Principal: { AWS: "arn:aws:iam::111111111111:root" }
              Action: sts:AssumeRole
              Condition: { NumericLessThan: { "aws:MultiFactorAuthAge": "300" } }
      - name: NeedsExternalId
        trust_policy:
          Version: "2012-10-17"
          Statement:
            - Effect: Allow
              Principal: { AWS: "arn:aws:iam::111111111111:root" }
              Action: sts:AssumeRole
              Condition: { StringEquals: { "sts:ExternalId": "rolecall-42" } }
      - name: ChainedRole
        trust_policy:
          Version: "2012-10-17"
          Statement:
            - Effect: Allow
              Principal: { AWS: ["arn:aws:iam::222222222222:role/Open", "arn:aws:iam::222222222222:role/Plain"] }
              Action: [sts:AssumeRole, sts:TagSession, sts:SetSourceIdentity]
        policies:
          - name: AssumeAny
            document:
              Version: "2012-10-17"
              Statement:
                - { Effect: Allow, Action: [sts:AssumeRole, sts:SetSourceIdentity], Resource: "*" }
      - name: ChainedSession
        trust_policy:
          Version: "2012-10-17"
          Statement:
            - Effect: Allow
              Principal: { AWS: "arn:aws:sts::222222222222:assumed-role/Open/first" }
              Action: sts:AssumeRole
      - name: TagGated
        trust_policy:
          Version: "2012-10-17"
          Statement:
            - Effect: Allow
              Principal: { AWS: "arn:aws:iam::222222222222:root" }
              Action: sts:AssumeRole
              Condition: { StringEquals: { "aws:PrincipalTag/Project": blue } }
    ec2:
      us-east-1:
        instances:
          - { id: i-02220000000000001, type: t3.micro, tags: { Name: web-1 } }
"#;

pub(crate) fn contract_world() -> rolecall_model::World {
    rolecall_model::scenario::load_str(CONTRACT, "contract.yaml").unwrap_or_else(|e| panic!("{e}"))
}

pub(crate) fn contract_server() -> TestServer {
    TestServer::start(contract_world())
}

pub(crate) fn nobody() -> Keys {
    Keys::long_term(NOBODY_KEY, NOBODY_SECRET)
}

pub(crate) fn root() -> Keys {
    Keys::long_term(ROOT_KEY, ROOT_SECRET)
}

/// An EC2 call in us-east-1 without parameters.
pub(crate) fn ec2(server: &TestServer, keys: &Keys, action: &str) -> Response {
    server.ec2("us-east-1", keys, action, &[])
}

/// Moves the emulator's clock through the admin endpoint.
pub(crate) fn advance_clock(server: &TestServer, seconds: i64) {
    let body = format!("{{\"advance_seconds\": {seconds}}}");
    let headers = vec![("content-type".to_string(), "application/json".to_string())];
    let r = server.send("POST", "/_rolecall/clock", &headers, &body);
    assert_eq!(r.status, 200, "{}", r.body);
}

/// The discovery device's code for the emulator's current time.
pub(crate) fn mfa_code(server: &TestServer) -> String {
    let now = server.emulator.clock().now().unix_timestamp();
    let secret = base32_decode(MFA_SECRET).unwrap();
    format!("{:06}", totp(&secret, now))
}
