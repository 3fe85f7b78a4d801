//! GetCallerIdentity for every kind of caller, GetSessionToken, GetAccessKeyInfo and
//! DecodeAuthorizationMessage.

use crate::sts_support::*;
use rolecall_engine::authz::{self, ResourcePolicy};
use rolecall_engine::policy::{NamedPolicy, Policy};
use rolecall_model::Principal;
use rolecall_server::auth::sessions::SessionSigner;
use rolecall_server::services::sts::encode_authorization_message;
use rolecall_server::Emulator;
use rolecall_test_support::*;
use std::sync::Arc;

fn session_keys(r: &Response) -> Keys {
    assert_eq!(r.status, 200, "{}", r.body);
    Keys {
        access_key_id: r.xml("AccessKeyId").unwrap(),
        secret: r.xml("SecretAccessKey").unwrap(),
        token: r.xml("SessionToken"),
    }
}

fn identity(server: &TestServer, keys: &Keys) -> (String, String, String) {
    let r = server.sts(keys, "GetCallerIdentity", &[]);
    assert_eq!(r.status, 200, "{}", r.body);
    (
        r.xml("Arn").unwrap(),
        r.xml("UserId").unwrap(),
        r.xml("Account").unwrap(),
    )
}

#[test]
fn get_caller_identity_names_every_kind_of_principal() {
    let server = contract_server();
    let d = Keys::discovery();
    let (arn, user_id, account) = identity(&server, &d);
    assert_eq!(
        (arn.as_str(), account.as_str()),
        ("arn:aws:iam::111111111111:user/discovery", "111111111111")
    );
    assert!(user_id.starts_with("AIDA"), "{user_id}");

    // A GetSessionToken session acts as the user.
    let session = session_keys(&server.sts(&d, "GetSessionToken", &[]));
    assert_eq!(
        identity(&server, &session),
        (arn.clone(), user_id.clone(), account.clone())
    );

    // A role session and a chained one.
    let (r, open) = assume_role(&server, &d, &role("222222222222", "Open"), "first", &[]);
    let open = open.unwrap();
    let (arn, id, account) = identity(&server, &open);
    assert_eq!(arn, "arn:aws:sts::222222222222:assumed-role/Open/first");
    assert_eq!(id, r.xml("AssumedRoleId").unwrap());
    assert!(id.starts_with("AROA") && id.ends_with(":first"));
    assert_eq!(account, "222222222222");
    let (_, chained) = assume_role(
        &server,
        &open,
        &role("222222222222", "ChainedRole"),
        "second",
        &[],
    );
    let (arn, id, _) = identity(&server, &chained.unwrap());
    assert_eq!(
        arn,
        "arn:aws:sts::222222222222:assumed-role/ChainedRole/second"
    );
    assert!(id.ends_with(":second"));

    // The root user: its ARN, and the account id as UserId; also through GetSessionToken.
    let expected = (
        "arn:aws:iam::111111111111:root".to_string(),
        "111111111111".to_string(),
        "111111111111".to_string(),
    );
    assert_eq!(identity(&server, &root()), expected);
    let root_session = session_keys(&server.sts(&root(), "GetSessionToken", &[]));
    assert_eq!(identity(&server, &root_session), expected);
}

#[test]
fn get_session_token_accepts_an_mfa_code_and_refuses_session_credentials() {
    let server = contract_server();
    let code = mfa_code(&server);
    let r = server.sts(
        &Keys::discovery(),
        "GetSessionToken",
        &[
            ("SerialNumber", MFA_SERIAL),
            ("TokenCode", &code),
            ("DurationSeconds", "900"),
        ],
    );
    // The clock is frozen at 2026-01-01; STS reports expiry in the client's time.
    assert_expires_in(&r, 900);
    let session = session_keys(&r);
    let r = server.sts(
        &Keys::discovery(),
        "GetSessionToken",
        &[("SerialNumber", MFA_SERIAL), ("TokenCode", "123")],
    );
    assert_error(&r, 400, "ValidationError", "1 validation error detected: Value '123' at 'tokenCode' failed to satisfy constraint: Member must have length greater than or equal to 6");
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let r = server.sts(
        &Keys::discovery(),
        "GetSessionToken",
        &[("SerialNumber", MFA_SERIAL), ("TokenCode", wrong)],
    );
    assert_error(
        &r,
        403,
        "AccessDenied",
        "MultiFactorAuthentication failed with invalid MFA one time pass code.",
    );
    let r = server.sts(&session, "GetSessionToken", &[]);
    assert_error(
        &r,
        403,
        "AccessDenied",
        "Cannot call GetSessionToken with session credentials",
    );
}

#[test]
fn get_access_key_info_answers_for_scenario_keys_issued_keys_and_encoded_ones() {
    let server = contract_server();
    let d = Keys::discovery();
    let info = |key: &str| server.sts(&d, "GetAccessKeyInfo", &[("AccessKeyId", key)]);
    assert_eq!(
        info("AKIAIOSFODNN7EXAMPLE").xml("Account").as_deref(),
        Some("111111111111")
    );
    assert_eq!(
        info(ROOT_KEY).xml("Account").as_deref(),
        Some("111111111111")
    );
    let (_, open) = assume_role(&server, &d, &role("222222222222", "Open"), "s1", &[]);
    let issued = open.unwrap().access_key_id;
    assert_eq!(
        info(&issued).xml("Account").as_deref(),
        Some("222222222222")
    );
    // A key this server never saw, read from its bits as AWS does.
    assert_eq!(
        info("ASIAY34FZKBOKMUTVV7A").xml("Account").as_deref(),
        Some("609629065308")
    );
    let r = info("AKIA123");
    assert_error(&r, 400, "ValidationError", "1 validation error detected: Value 'AKIA123' at 'accessKeyId' failed to satisfy constraint: Member must have length greater than or equal to 16");
    let r = server.sts(
        &nobody(),
        "GetAccessKeyInfo",
        &[("AccessKeyId", "AKIAIOSFODNN7EXAMPLE")],
    );
    assert_error(&r, 403, "AccessDenied", "User: arn:aws:iam::111111111111:user/nobody is not authorized to perform: sts:GetAccessKeyInfo because no identity-based policy allows the sts:GetAccessKeyInfo action");
}

#[test]
fn an_encoded_authorization_message_decodes_to_awss_json() {
    // The server seals messages with its process key; this test seals one with the same key.
    const KEY: [u8; 32] = [7; 32];
    let server = TestServer::serve(
        Emulator::builder()
            .session_key(KEY)
            .build_with_world(contract_world(), "contract.yaml"),
    );
    // A denial as EC2 would build it for a mutating action: an explicit deny in the user's
    // identity policy.
    let world = contract_world();
    let account = world.account("111111111111").unwrap().clone();
    let user = account.users.get("discovery").unwrap().clone();
    let principal = Principal::User {
        account: account.clone(),
        user: user.clone(),
    };
    let deny = Policy::from_json(r#"{"Version":"2012-10-17","Statement":[{"Sid":"NoBigInstances","Effect":"Deny","Action":"ec2:RunInstances","Resource":"arn:aws:ec2:*:*:instance/*","Condition":{"StringNotEquals":{"ec2:InstanceType":"t3.micro"}}}]}"#).unwrap();
    let policies = vec![Arc::new(NamedPolicy::new("Guard", None, deny))];
    let caller = principal.caller();
    let mut context = authz::Context::new();
    context.insert("ec2:InstanceType", "m5.large");
    context.insert("aws:Region", "us-east-1");
    let request = authz::Request {
        caller: &caller,
        action: "ec2:RunInstances",
        resource: "arn:aws:ec2:us-east-1:111111111111:instance/*",
        resource_account: Some("111111111111"),
        context: &context,
        identity_policies: &policies,
        permissions_boundary: None,
        session_policies: None,
        scps: &[],
        rcps: &[],
        resource_policy: ResourcePolicy::NotApplicable,
        same_organization: false,
    };
    let (decision, trace) = authz::authorize_traced(&request);
    let token = encode_authorization_message(
        &SessionSigner::with_key(KEY),
        &principal,
        &request,
        &decision,
        &trace,
    );
    assert!(token
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));

    let r = server.sts(
        &Keys::discovery(),
        "DecodeAuthorizationMessage",
        &[("EncodedMessage", &token)],
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let decoded = r.xml("DecodedMessage").unwrap();
    let expected = format!(
        concat!(
            r#"{{"allowed":false,"explicitDeny":true,"matchedStatements":{{"items":[{{"statementId":"NoBigInstances","effect":"DENY","#,
            r#""principals":{{"items":[{{"value":"{id}"}}]}},"principalGroups":{{"items":[]}},"#,
            r#""actions":{{"items":[{{"value":"ec2:RunInstances"}}]}},"resources":{{"items":[{{"value":"arn:aws:ec2:*:*:instance/*"}}]}},"#,
            r#""conditions":{{"items":[{{"key":"ec2:InstanceType","values":{{"items":[{{"value":"t3.micro"}}]}}}}]}}}}]}},"#,
            r#""failures":{{"items":[]}},"context":{{"principal":{{"id":"{id}","name":"discovery","arn":"arn:aws:iam::111111111111:user/discovery"}},"#,
            r#""action":"ec2:RunInstances","resource":"arn:aws:ec2:us-east-1:111111111111:instance/*","#,
            r#""conditions":{{"items":[{{"key":"ec2:InstanceType","values":{{"items":[{{"value":"m5.large"}}]}}}},{{"key":"aws:Region","values":{{"items":[{{"value":"us-east-1"}}]}}}}]}}}}}}"#
        ),
        id = user.id
    );
    assert_eq!(decoded, expected);

    // Altered, or not ours: InvalidAuthorizationMessageException.
    let mut altered = token.into_bytes();
    altered[20] = if altered[20] == b'A' { b'B' } else { b'A' };
    let r = server.sts(
        &Keys::discovery(),
        "DecodeAuthorizationMessage",
        &[("EncodedMessage", &String::from_utf8(altered).unwrap())],
    );
    assert_eq!(error(&r).0, 400);
    assert_eq!(error(&r).1, "InvalidAuthorizationMessageException");
    // Decoding needs sts:DecodeAuthorizationMessage.
    let r = server.sts(
        &nobody(),
        "DecodeAuthorizationMessage",
        &[("EncodedMessage", "abc")],
    );
    assert_error(&r, 403, "AccessDenied", "User: arn:aws:iam::111111111111:user/nobody is not authorized to perform: sts:DecodeAuthorizationMessage because no identity-based policy allows the sts:DecodeAuthorizationMessage action");
}
