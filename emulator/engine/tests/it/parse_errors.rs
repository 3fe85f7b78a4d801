//! Parser errors point at the offending value. Each document marks the expected position
//! with `«`, which is removed before parsing; the test derives line:column from it.

use rolecall_engine::policy::{Policy, PolicyError, PolicyType};

/// The text without the marker, and the marker's 1-based line and column.
fn unmark(marked: &str) -> (String, u32, u32) {
    let at = marked.find('«').expect("no marker");
    let before = &marked[..at];
    let line = u32::try_from(before.matches('\n').count()).unwrap() + 1;
    let column = u32::try_from(before.rsplit('\n').next().unwrap().chars().count()).unwrap() + 1;
    (marked.replacen('«', "", 1), line, column)
}

/// The rows that failed, reported together, each by its name.
#[derive(Default)]
struct Failures(Vec<String>);

impl Failures {
    /// `check` of the marked text, unmarked, must fail at the marker with a message containing
    /// `needle`.
    fn expect_error_at_marker(
        &mut self,
        name: &str,
        marked: &str,
        needle: &str,
        check: impl FnOnce(&str) -> Result<(), PolicyError>,
    ) {
        let (text, line, column) = unmark(marked);
        match check(&text) {
            Err(e) if e.at.line == line && e.at.column == column && e.message.contains(needle) => {}
            other => self.0.push(format!(
                "{name}: expected {line}:{column} containing {needle:?}, got {other:?}"
            )),
        }
    }

    fn assert_none(self) {
        assert!(self.0.is_empty(), "{}", self.0.join("\n"));
    }
}

fn parse(text: &str) -> Result<(), PolicyError> {
    Policy::from_json(text).map(|_| ())
}

const HEAD: &str = "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n";
const TAIL: &str = "\n  ]\n}";

/// (name, statement text placed on line 4, message fragment)
#[rustfmt::skip]
const STATEMENT_ROWS: &[(&str, &str, &str)] = &[
    ("effect_is_case_sensitive", r#"    {"Effect": «"allow", "Action": "*", "Resource": "*"}"#, "case-sensitive"),
    ("effect_missing", r#"    «{"Action": "*", "Resource": "*"}"#, "no Effect"),
    ("effect_not_a_string", r#"    {"Effect": «1, "Action": "*", "Resource": "*"}"#, "Effect must be"),
    ("action_missing", r#"    «{"Effect": "Allow", "Resource": "*"}"#, "neither Action nor NotAction"),
    ("action_and_not_action", r#"    {"Effect": "Allow", "Action": "*", «"NotAction": "s3:*", "Resource": "*"}"#, "both Action and NotAction"),
    ("resource_and_not_resource", r#"    {"Effect": "Allow", "Action": "*", "Resource": "*", «"NotResource": "*"}"#, "both Resource and NotResource"),
    ("principal_and_not_principal", r#"    {"Effect": "Allow", "Principal": "*", «"NotPrincipal": "*", "Action": "*"}"#, "both Principal and NotPrincipal"),
    ("unknown_statement_element", r#"    {"Effect": "Allow", «"Actions": "*", "Resource": "*"}"#, "unknown statement element \"Actions\""),
    ("duplicate_key", r#"    {"Effect": "Allow", «"Effect": "Deny", "Action": "*", "Resource": "*"}"#, "duplicate key \"Effect\""),
    ("sid_not_a_string", r#"    {"Sid": «["a"], "Effect": "Allow", "Action": "*", "Resource": "*"}"#, "Sid must be a string"),
    ("action_without_service", r#"    {"Effect": "Allow", "Action": ["sts:GetCallerIdentity", «"AssumeRole"], "Resource": "*"}"#, "service:action"),
    ("action_empty_list", r#"    {"Effect": "Allow", "Action": «[], "Resource": "*"}"#, "empty list"),
    ("action_not_a_string", r#"    {"Effect": "Allow", "Action": [«3], "Resource": "*"}"#, "string or a list of strings"),
    ("resource_not_an_arn", r#"    {"Effect": "Allow", "Action": "*", "Resource": «"role/x"}"#, "must be \"*\" or an ARN"),
    ("resource_variable_default_unquoted", r#"    {"Effect": "Allow", "Action": "*", "Resource": «"arn:aws:s3:::b/${aws:username, anon}"}"#, "single quotes"),
    ("principal_not_star", r#"    {"Effect": "Allow", "Principal": «"bob", "Action": "*"}"#, "Principal must be"),
    ("principal_unknown_type", r#"    {"Effect": "Allow", "Principal": {«"Aws": "*"}, "Action": "*"}"#, "unknown principal type \"Aws\""),
    ("principal_bad_account", r#"    {"Effect": "Allow", "Principal": {"AWS": «"arn:aws:iam::123:user/x"}, "Action": "*"}"#, "invalid principal"),
    ("principal_partial_wildcard", r#"    {"Effect": "Allow", "Principal": {"AWS": ["111111111111", «"arn:aws:iam::111111111111:role/*"]}, "Action": "*"}"#, "bare \"*\""),
    ("principal_group_is_not_a_principal", r#"    {"Effect": "Allow", "Principal": {"AWS": «"arn:aws:iam::111111111111:group/admins"}, "Action": "*"}"#, "invalid principal"),
    ("unknown_operator", r#"    {"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": {«"StringEqual": {"aws:username": "a"}}}"#, "unknown condition operator \"StringEqual\""),
    ("unknown_qualifier", r#"    {"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": {«"ForSomeValues:StringEquals": {"k": "a"}}}"#, "unknown condition operator"),
    ("null_if_exists", r#"    {"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": {«"NullIfExists": {"k": "true"}}}"#, "IfExists"),
    ("numeric_not_a_number", r#"    {"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": {"NumericLessThan": {"k": ["1", «"ten"]}}}"#, "needs a number"),
    ("date_not_a_date", r#"    {"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": {"DateGreaterThan": {"aws:CurrentTime": «"tomorrow"}}}"#, "ISO 8601"),
    ("ip_not_an_address", r#"    {"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": {"IpAddress": {"aws:SourceIp": «"10.0.0.0/33"}}}"#, "CIDR"),
    ("bool_not_a_boolean", r#"    {"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": «"yes"}}}"#, "\"true\" or \"false\""),
    ("binary_not_base64", r#"    {"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": {"BinaryEquals": {"k": «"not base64!"}}}"#, "base64"),
    ("null_not_a_boolean", r#"    {"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": {"Null": {"k": «"maybe"}}}"#, "Null needs"),
    ("condition_values_empty", r#"    {"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": {"StringEquals": {"k": «[]}}}"#, "no values"),
    ("condition_value_is_a_map", r#"    {"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": {"StringEquals": {"k": «{"a": 1}}}}"#, "must be a string"),
    ("condition_block_not_a_map", r#"    {"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": «["StringEquals"]}"#, "Condition must be a map"),
    ("statement_not_a_map", r#"    «"just text""#, "a statement must be a map"),
];

#[test]
fn statement_errors_point_at_the_offending_value() {
    let mut failures = Failures::default();
    for (name, statement, needle) in STATEMENT_ROWS {
        let marked = format!("{HEAD}{statement}{TAIL}");
        let (_, line, _) = unmark(&marked);
        assert_eq!(line, 4, "{name}");
        failures.expect_error_at_marker(name, &marked, needle, parse);
    }
    failures.assert_none();
}

#[rustfmt::skip]
const DOCUMENT_ROWS: &[(&str, &str, &str)] = &[
    ("unknown_top_level_element", "{\n  \"Version\": \"2012-10-17\",\n  «\"Statment\": []\n}", "unknown policy element \"Statment\""),
    ("bad_version", "{\n  \"Version\": «\"2012-10-18\",\n  \"Statement\": []\n}", "Version must be"),
    ("version_as_date_number", "{\"Version\": «20121017, \"Statement\": []}", "Version must be"),
    ("no_statement", "«{\n  \"Version\": \"2012-10-17\"\n}", "no Statement"),
    ("document_is_a_list", "«[\"Version\"]", "a policy must be a map"),
    ("json_syntax_error", "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\"}«}", "expected"),
];

#[test]
fn document_errors_point_at_the_offending_value() {
    let mut failures = Failures::default();
    for (name, marked, needle) in DOCUMENT_ROWS {
        failures.expect_error_at_marker(name, marked, needle, parse);
    }
    failures.assert_none();
}

/// (name, policy, used as, message fragment); the marker is where the error must point.
#[rustfmt::skip]
const KIND_ROWS: &[(&str, &str, PolicyType, &str)] = &[
    ("identity_with_principal", "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", «\"Principal\": \"*\", \"Action\": \"*\", \"Resource\": \"*\"}]}", PolicyType::IdentityBased, "cannot have a Principal"),
    ("session_with_not_principal", "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", «\"NotPrincipal\": {\"AWS\": \"111111111111\"}, \"Action\": \"*\", \"Resource\": \"*\"}]}", PolicyType::Session, "cannot have a Principal"),
    ("identity_without_resource", "{\"Version\": \"2012-10-17\", \"Statement\": [«{\"Effect\": \"Allow\", \"Action\": \"*\"}]}", PolicyType::IdentityBased, "neither Resource nor NotResource"),
    ("boundary_without_resource", "{\"Version\": \"2012-10-17\", \"Statement\": [«{\"Effect\": \"Allow\", \"Action\": \"*\"}]}", PolicyType::PermissionsBoundary, "neither Resource"),
    ("scp_with_principal", "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Deny\", «\"Principal\": \"*\", \"Action\": \"*\", \"Resource\": \"*\"}]}", PolicyType::ServiceControl, "service control policy"),
    ("trust_without_principal", "{\"Version\": \"2012-10-17\", \"Statement\": [«{\"Effect\": \"Allow\", \"Action\": \"sts:AssumeRole\"}]}", PolicyType::RoleTrust, "needs a Principal"),
    ("trust_with_not_principal_notprincipal_doc", "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Deny\", «\"NotPrincipal\": {\"AWS\": \"111111111111\"}, \"Action\": \"sts:AssumeRole\"}]}", PolicyType::RoleTrust, "NotPrincipal"),
    ("trust_with_resource", "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": \"sts:AssumeRole\", «\"Resource\": \"*\"}]}", PolicyType::RoleTrust, "cannot have a Resource"),
    ("resource_policy_without_principal", "{\"Version\": \"2012-10-17\", \"Statement\": [«{\"Effect\": \"Allow\", \"Action\": \"s3:*\", \"Resource\": \"*\"}]}", PolicyType::ResourceBased, "needs a Principal"),
    ("rcp_without_principal", "{\"Version\": \"2012-10-17\", \"Statement\": [«{\"Effect\": \"Deny\", \"Action\": \"s3:*\", \"Resource\": \"*\"}]}", PolicyType::ResourceControl, "needs a Principal"),
];

#[test]
fn policy_kinds_check_their_required_and_forbidden_elements() {
    let mut failures = Failures::default();
    for (name, marked, kind, needle) in KIND_ROWS {
        failures.expect_error_at_marker(name, marked, needle, |text| {
            let policy = Policy::from_json(text).unwrap_or_else(|e| panic!("{name}: {e}"));
            policy.check_for(*kind)
        });
    }
    failures.assert_none();
}

#[test]
fn well_formed_policies_pass_their_kind_checks() {
    let identity = Policy::from_json(
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#,
    )
    .unwrap();
    assert!(!identity.has_principal());
    for kind in [
        PolicyType::IdentityBased,
        PolicyType::PermissionsBoundary,
        PolicyType::Session,
        PolicyType::ServiceControl,
    ] {
        identity.check_for(kind).unwrap();
    }
    let trust = Policy::from_json(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":"sts:AssumeRole"}]}"#).unwrap();
    assert!(trust.has_principal());
    trust.check_for(PolicyType::RoleTrust).unwrap();
    let scp = Policy::from_json(
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*"}]}"#,
    )
    .unwrap();
    scp.check_for(PolicyType::ServiceControl).unwrap();
}

#[test]
fn error_display_is_line_colon_column_message() {
    let e = Policy::from_json("{\"Version\": \"2012-10-17\",\n \"Statement\": {\"Effect\": \"Maybe\", \"Action\": \"*\"}}").unwrap_err();
    assert_eq!(
        e.to_string(),
        "2:26: Effect must be \"Allow\" or \"Deny\" (case-sensitive), not \"Maybe\""
    );
}

#[test]
fn every_principal_form_is_accepted() {
    let text = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{
        "AWS":["*","111111111111","arn:aws:iam::111111111111:root","arn:aws:iam::111111111111:user/path/alice",
               "arn:aws:iam::111111111111:role/Deployer","arn:aws:sts::111111111111:assumed-role/Deployer/build",
               "arn:aws:sts::111111111111:federated-user/bob","AROAEXAMPLEID"],
        "Service":"ec2.amazonaws.com","Federated":["cognito-identity.amazonaws.com"],"CanonicalUser":"79a59df9"},
        "Action":"sts:AssumeRole"}]}"#;
    let policy = Policy::from_json(text).unwrap();
    let principals = &policy.statements[0].principal.as_ref().unwrap().principals;
    assert_eq!(principals.aws.len(), 8);
    assert_eq!(principals.service, ["ec2.amazonaws.com"]);
}
