//! AssumeRole's request contract over HTTP: every model violation, the semantic checks of
//! session policies and tags, MFA, external id, source identity, and the permissions
//! (`sts:TagSession`, `sts:SetSourceIdentity`) they need.

use crate::sts_support::*;
use rolecall_test_support::*;

const OPEN: &str = "arn:aws:iam::222222222222:role/Open";

fn assume(
    server: &TestServer,
    keys: &Keys,
    role: &str,
    extra: &[(&str, &str)],
) -> (Response, Option<Keys>) {
    let name = extra
        .iter()
        .find(|(k, _)| *k == "RoleSessionName")
        .map_or("s1", |(_, v)| *v);
    let rest: Vec<(&str, &str)> = extra
        .iter()
        .filter(|(k, _)| *k != "RoleSessionName")
        .copied()
        .collect();
    assume_role(server, keys, role, name, &rest)
}

#[test]
fn several_model_violations_are_counted_in_one_message() {
    let server = contract_server();
    let r = server.sts(
        &Keys::discovery(),
        "AssumeRole",
        &[
            ("RoleArn", "short"),
            ("RoleSessionName", "x"),
            ("DurationSeconds", "100"),
        ],
    );
    assert_error(&r, 400, "ValidationError", "3 validation errors detected: Value 'short' at 'roleArn' failed to satisfy constraint: Member must have length greater than or equal to 20; Value 'x' at 'roleSessionName' failed to satisfy constraint: Member must have length greater than or equal to 2; Value '100' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900");
}

#[test]
fn each_parameter_is_checked_against_its_model_constraint() {
    let server = contract_server();
    let d = Keys::discovery();
    let send = |extra: &[(&str, &str)]| {
        let mut params = vec![("RoleArn", OPEN), ("RoleSessionName", "s1")];
        for (k, v) in extra {
            match params.iter_mut().find(|(pk, _)| pk == k) {
                Some(p) => p.1 = v,
                None => params.push((k, v)),
            }
        }
        server.sts(&d, "AssumeRole", &params)
    };
    let one = |extra: &[(&str, &str)], expected: &str| {
        let r = send(extra);
        assert_error(
            &r,
            400,
            "ValidationError",
            &format!("1 validation error detected: {expected}"),
        );
    };
    one(
        &[("RoleSessionName", "bad:name")],
        "Value 'bad:name' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*",
    );
    one(
        &[("DurationSeconds", "86400")],
        "Value '86400' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 43200",
    );
    one(
        &[("ExternalId", "x")],
        "Value 'x' at 'externalId' failed to satisfy constraint: Member must have length greater than or equal to 2",
    );
    one(
        &[("SerialNumber", "short")],
        "Value 'short' at 'serialNumber' failed to satisfy constraint: Member must have length greater than or equal to 9",
    );
    one(
        &[("SerialNumber", MFA_SERIAL), ("TokenCode", "12a456")],
        "Value '12a456' at 'tokenCode' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\d]*",
    );
    one(
        &[("SourceIdentity", "aws:me")],
        "Value 'aws:me' at 'sourceIdentity' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*",
    );
    let r = send(&[("Tags.member.1.Key", "")]);
    assert_error(&r, 400, "ValidationError", "3 validation errors detected: Value '' at 'tags.1.member.key' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+; Value '' at 'tags.1.member.key' failed to satisfy constraint: Member must have length greater than or equal to 1; Value null at 'tags.1.member.value' failed to satisfy constraint: Member must not be null");
}

#[test]
fn a_missing_session_name_is_null_and_a_malformed_arn_is_invalid() {
    let server = contract_server();
    let d = Keys::discovery();
    let r = server.sts(&d, "AssumeRole", &[("RoleArn", OPEN)]);
    assert_error(&r, 400, "ValidationError", "1 validation error detected: Value null at 'roleSessionName' failed to satisfy constraint: Member must not be null");
    let (r, _) = assume(&server, &d, "nothing-valid-in-here", &[]);
    assert_error(
        &r,
        400,
        "ValidationError",
        "nothing-valid-in-here is invalid",
    );
}

#[test]
fn policy_arns_are_at_most_ten_and_must_exist() {
    let server = contract_server();
    let d = Keys::discovery();
    let arn = "arn:aws:iam::222222222222:policy/RegionsOnly";
    let names: Vec<String> = (1..=11)
        .map(|i| format!("PolicyArns.member.{i}.arn"))
        .collect();
    let mut params: Vec<(&str, &str)> = vec![("RoleArn", OPEN), ("RoleSessionName", "s1")];
    params.extend(names.iter().map(|n| (n.as_str(), arn)));
    let r = server.sts(&d, "AssumeRole", &params);
    let listed = [arn; 11].join(", ");
    assert_error(&r, 400, "ValidationError", &format!("1 validation error detected: Value '[{listed}]' at 'policyArns' failed to satisfy constraint: Member must have length less than or equal to 10"));

    let missing = "arn:aws:iam::222222222222:policy/Nope";
    let (r, _) = assume(&server, &d, OPEN, &[("PolicyArns.member.1.arn", missing)]);
    assert_error(
        &r,
        400,
        "InvalidParameterValue",
        &format!("Policy {missing} does not exist or is not attachable."),
    );
}

#[test]
fn a_policy_that_is_not_json_is_a_malformed_policy_document() {
    let server = contract_server();
    let (r, _) = assume(&server, &Keys::discovery(), OPEN, &[("Policy", "invalid")]);
    let (status, code, message) = error(&r);
    assert_eq!((status, code.as_str()), (400, "MalformedPolicyDocument"));
    assert!(message.starts_with("Unexpected character ('i' (code 105)): expected a valid value (number, String, array, object, 'true', 'false' or 'null')\n at [Source: java.io.StringReader@"), "{message}");
    assert!(message.ends_with("; line: 1, column: 2]"), "{message}");
}

#[test]
fn a_packed_size_over_the_allowance_is_packed_policy_too_large() {
    let server = contract_server();
    // 30 tags of 100 + 100 bytes pack to 6000 bytes: 250% of the 2,400-byte allowance.
    let keys: Vec<(String, String, String, String)> = (1..=30)
        .map(|i| {
            (
                format!("Tags.member.{i}.Key"),
                format!("k{i:03}{}", "x".repeat(96)),
                format!("Tags.member.{i}.Value"),
                "v".repeat(100),
            )
        })
        .collect();
    let mut params: Vec<(&str, &str)> = vec![("RoleArn", OPEN), ("RoleSessionName", "s1")];
    for (kn, k, vn, v) in &keys {
        params.push((kn, k));
        params.push((vn, v));
    }
    let r = server.sts(&Keys::discovery(), "AssumeRole", &params);
    assert_error(
        &r,
        400,
        "PackedPolicyTooLarge",
        "Packed policy consumes 250% of allotted space, please use smaller policy.",
    );
}

#[test]
fn duplicate_and_unknown_transitive_tag_keys_are_refused() {
    let server = contract_server();
    let d = Keys::discovery();
    let (r, _) = assume(
        &server,
        &d,
        OPEN,
        &[
            ("Tags.member.1.Key", "Project"),
            ("Tags.member.1.Value", "blue"),
            ("Tags.member.2.Key", "project"),
            ("Tags.member.2.Value", "red"),
        ],
    );
    assert_error(
        &r,
        400,
        "InvalidParameterValue",
        "Duplicate tag keys found. Please note that Tag keys are case insensitive.",
    );
    let (r, _) = assume(
        &server,
        &d,
        OPEN,
        &[
            ("Tags.member.1.Key", "Project"),
            ("Tags.member.1.Value", "blue"),
            ("TransitiveTagKeys.member.1", "Team"),
        ],
    );
    assert_error(
        &r,
        400,
        "InvalidParameterValue",
        "The specified transitive tag key must be included in the requested tags.",
    );
}

#[test]
fn passing_tags_needs_tag_session_in_the_trust_policy() {
    let server = contract_server();
    let d = Keys::discovery();
    let (r, _) = assume(
        &server,
        &d,
        &role("222222222222", "NoTags"),
        &[
            ("Tags.member.1.Key", "Project"),
            ("Tags.member.1.Value", "blue"),
        ],
    );
    assert_error(&r, 403, "AccessDenied", "User: arn:aws:iam::111111111111:user/discovery is not authorized to perform: sts:TagSession on resource: arn:aws:iam::222222222222:role/NoTags");
    // Without tags the same role is fine.
    let (r, _) = assume(&server, &d, &role("222222222222", "NoTags"), &[]);
    assert_eq!(r.status, 200, "{}", r.body);
}

#[test]
fn session_tags_are_principal_tags_and_transitive_ones_survive_chaining() {
    let server = contract_server();
    let d = Keys::discovery();
    let gated = role("222222222222", "TagGated");
    let tag = [
        ("Tags.member.1.Key", "Project"),
        ("Tags.member.1.Value", "blue"),
    ];

    let (r, tagged) = assume(&server, &d, OPEN, &tag);
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.xml("PackedPolicySize").as_deref(), Some("0"));
    let (r, _) = assume(&server, &tagged.unwrap(), &gated, &[]);
    assert_eq!(
        r.status, 200,
        "a session tag is aws:PrincipalTag: {}",
        r.body
    );

    let (_, untagged) = assume(&server, &d, OPEN, &[]);
    let (r, _) = assume(&server, &untagged.unwrap(), &gated, &[]);
    assert_error(&r, 403, "AccessDenied", "User: arn:aws:sts::222222222222:assumed-role/Open/s1 is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::222222222222:role/TagGated");

    // Transitive: Open (Project=blue, transitive) → ChainedRole → TagGated.
    let mut transitive = tag.to_vec();
    transitive.push(("TransitiveTagKeys.member.1", "Project"));
    let (_, open) = assume(&server, &d, OPEN, &transitive);
    let (r, chained) = assume(
        &server,
        &open.clone().unwrap(),
        &role("222222222222", "ChainedRole"),
        &[],
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let (r, _) = assume(&server, &chained.unwrap(), &gated, &[]);
    assert_eq!(
        r.status, 200,
        "the transitive tag was inherited: {}",
        r.body
    );
    // An inherited transitive key cannot be passed again.
    let (r, _) = assume(
        &server,
        &open.unwrap(),
        &role("222222222222", "ChainedRole"),
        &[
            ("Tags.member.1.Key", "PROJECT"),
            ("Tags.member.1.Value", "red"),
        ],
    );
    assert_error(&r, 400, "InvalidParameterValue", "One of the specified transitive tag keys can't be set because it conflicts with a transitive tag key from the calling session.");

    // Not transitive: lost on the next hop.
    let (_, open) = assume(&server, &d, OPEN, &tag);
    let (_, chained) = assume(
        &server,
        &open.unwrap(),
        &role("222222222222", "ChainedRole"),
        &[],
    );
    let (r, _) = assume(&server, &chained.unwrap(), &gated, &[]);
    assert_eq!(r.status, 403, "{}", r.body);
}

#[test]
fn mfa_codes_are_checked_with_the_emulators_clock() {
    let server = contract_server();
    let d = Keys::discovery();
    let needs = role("222222222222", "NeedsMfa");
    let (r, _) = assume(&server, &d, &needs, &[]);
    assert_error(&r, 403, "AccessDenied", "User: arn:aws:iam::111111111111:user/discovery is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::222222222222:role/NeedsMfa");
    let code = mfa_code(&server);
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let (r, _) = assume(
        &server,
        &d,
        &needs,
        &[("SerialNumber", MFA_SERIAL), ("TokenCode", wrong)],
    );
    assert_error(
        &r,
        403,
        "AccessDenied",
        "MultiFactorAuthentication failed with invalid MFA one time pass code.",
    );
    let (r, _) = assume(
        &server,
        &d,
        &needs,
        &[
            ("SerialNumber", "arn:aws:iam::111111111111:mfa/other"),
            ("TokenCode", &code),
        ],
    );
    assert_error(&r, 403, "AccessDenied", "MultiFactorAuthentication failed, unable to validate MFA code.  Please verify your MFA serial number is valid and associated with this user.");
    let (r, _) = assume(
        &server,
        &d,
        &needs,
        &[("SerialNumber", MFA_SERIAL), ("TokenCode", &code)],
    );
    assert_eq!(r.status, 200, "{}", r.body);
    // The code of the previous 30-second step is still accepted; one from two minutes ago is not.
    advance_clock(&server, 30);
    let (r, _) = assume(
        &server,
        &d,
        &needs,
        &[("SerialNumber", MFA_SERIAL), ("TokenCode", &code)],
    );
    assert_eq!(r.status, 200, "{}", r.body);
    advance_clock(&server, 90);
    let (r, _) = assume(
        &server,
        &d,
        &needs,
        &[("SerialNumber", MFA_SERIAL), ("TokenCode", &code)],
    );
    assert_eq!(
        error(&r).2,
        "MultiFactorAuthentication failed with invalid MFA one time pass code."
    );
}

#[test]
fn an_mfa_session_carries_mfa_present_and_age_into_later_requests() {
    let server = contract_server();
    let code = mfa_code(&server);
    let r = server.sts(
        &Keys::discovery(),
        "GetSessionToken",
        &[("SerialNumber", MFA_SERIAL), ("TokenCode", &code)],
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let session = Keys {
        access_key_id: r.xml("AccessKeyId").unwrap(),
        secret: r.xml("SecretAccessKey").unwrap(),
        token: r.xml("SessionToken"),
    };
    // aws:MultiFactorAuthPresent is true for the session's AssumeRole without a code.
    let (r, mfa_role) = assume(&server, &session, &role("222222222222", "NeedsMfa"), &[]);
    assert_eq!(r.status, 200, "{}", r.body);
    // aws:MultiFactorAuthAge counts from the code: under 300 s now, not after 10 minutes.
    let fresh = role("222222222222", "NeedsFreshMfa");
    let (r, _) = assume(&server, &session, &fresh, &[]);
    assert_eq!(r.status, 200, "{}", r.body);
    advance_clock(&server, 600);
    let (r, _) = assume(&server, &session, &fresh, &[]);
    assert_eq!(r.status, 403, "{}", r.body);
    // Without MFA the session has MultiFactorAuthPresent=false, and the role denies.
    let plain = server.sts(&Keys::discovery(), "GetSessionToken", &[]);
    let plain = Keys {
        access_key_id: plain.xml("AccessKeyId").unwrap(),
        secret: plain.xml("SecretAccessKey").unwrap(),
        token: plain.xml("SessionToken"),
    };
    let (r, _) = assume(&server, &plain, &role("222222222222", "NeedsMfa"), &[]);
    assert_eq!(r.status, 403, "{}", r.body);
    assert!(mfa_role.is_some());
}

#[test]
fn the_external_id_is_sts_external_id_in_the_trust_policy() {
    let server = contract_server();
    let d = Keys::discovery();
    let needs = role("222222222222", "NeedsExternalId");
    let (r, _) = assume(&server, &d, &needs, &[("ExternalId", "wrong-id")]);
    assert_eq!(r.status, 403, "{}", r.body);
    let (r, _) = assume(&server, &d, &needs, &[("ExternalId", "rolecall-42")]);
    assert_eq!(r.status, 200, "{}", r.body);
}

#[test]
fn source_identity_needs_permission_persists_through_chaining_and_cannot_change() {
    let server = contract_server();
    let d = Keys::discovery();
    let (r, _) = assume(
        &server,
        &d,
        &role("222222222222", "NoTags"),
        &[("SourceIdentity", "alice")],
    );
    assert_error(&r, 403, "AccessDenied", "User: arn:aws:iam::111111111111:user/discovery is not authorized to perform: sts:SetSourceIdentity on resource: arn:aws:iam::222222222222:role/NoTags");

    let (r, open) = assume(&server, &d, OPEN, &[("SourceIdentity", "alice")]);
    assert_eq!(
        r.xml("SourceIdentity").as_deref(),
        Some("alice"),
        "{}",
        r.body
    );
    let open = open.unwrap();
    let chained_role = role("222222222222", "ChainedRole");
    let (r, _) = assume(&server, &open, &chained_role, &[]);
    assert_eq!(
        r.xml("SourceIdentity").as_deref(),
        Some("alice"),
        "carried over: {}",
        r.body
    );
    let (r, _) = assume(
        &server,
        &open,
        &chained_role,
        &[("SourceIdentity", "alice")],
    );
    assert_eq!(r.status, 200, "the same value again is fine: {}", r.body);
    let (r, _) = assume(&server, &open, &chained_role, &[("SourceIdentity", "bob")]);
    assert_error(&r, 403, "AccessDenied", "User: arn:aws:sts::222222222222:assumed-role/Open/s1 is not authorized to perform: sts:SetSourceIdentity on resource: arn:aws:iam::222222222222:role/ChainedRole");

    // Chaining: the caller's own policy must allow sts:SetSourceIdentity too.
    let (_, plain) = assume(
        &server,
        &d,
        &role("222222222222", "Plain"),
        &[("RoleSessionName", "plain")],
    );
    let (r, _) = assume(
        &server,
        &plain.unwrap(),
        &chained_role,
        &[("SourceIdentity", "carol")],
    );
    assert_error(&r, 403, "AccessDenied", "User: arn:aws:sts::222222222222:assumed-role/Plain/plain is not authorized to perform: sts:SetSourceIdentity on resource: arn:aws:iam::222222222222:role/ChainedRole because no identity-based policy allows the sts:SetSourceIdentity action");
}

#[test]
fn a_trust_policy_naming_the_session_arn_matches_that_session_only() {
    let server = contract_server();
    let d = Keys::discovery();
    let target = role("222222222222", "ChainedSession");
    let (_, first) = assume(&server, &d, OPEN, &[("RoleSessionName", "first")]);
    let (r, _) = assume(&server, &first.unwrap(), &target, &[]);
    assert_eq!(r.status, 200, "{}", r.body);
    let (_, other) = assume(&server, &d, OPEN, &[("RoleSessionName", "other")]);
    let (r, _) = assume(&server, &other.unwrap(), &target, &[]);
    assert_eq!(r.status, 403, "{}", r.body);
}

#[test]
fn a_session_policy_narrows_ec2_and_is_parsed_once() {
    let server = contract_server();
    let d = Keys::discovery();
    let policy = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ec2:DescribeRegions","Resource":"*"}]}"#;
    let (r, narrow) = assume(
        &server,
        &d,
        OPEN,
        &[("RoleSessionName", "narrow"), ("Policy", policy)],
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.xml("PackedPolicySize").as_deref(), Some("4"));
    let narrow = narrow.unwrap();
    let denied = ec2(&server, &narrow, "DescribeInstances");
    assert_error(&denied, 403, "UnauthorizedOperation", "You are not authorized to perform this operation. User: arn:aws:sts::222222222222:assumed-role/Open/narrow is not authorized to perform: ec2:DescribeInstances because no session policy allows the ec2:DescribeInstances action");
    for _ in 0..5 {
        let allowed = ec2(&server, &narrow, "DescribeRegions");
        assert_eq!(allowed.status, 200, "{}", allowed.body);
    }

    // The same through a managed policy ARN.
    let (r, managed) = assume(
        &server,
        &d,
        OPEN,
        &[
            ("RoleSessionName", "narrow"),
            (
                "PolicyArns.member.1.arn",
                "arn:aws:iam::222222222222:policy/RegionsOnly",
            ),
        ],
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let managed = managed.unwrap();
    assert_eq!(ec2(&server, &managed, "DescribeInstances").status, 403);
    assert_eq!(ec2(&server, &managed, "DescribeRegions").status, 200);
    // Without a session policy the role's own permissions apply.
    let (_, full) = assume(&server, &d, OPEN, &[]);
    assert_eq!(
        ec2(&server, &full.unwrap(), "DescribeInstances").status,
        200
    );
}
