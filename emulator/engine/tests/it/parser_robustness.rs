//! The parser and the matchers never panic: token soup and well-formed policies carrying
//! random values (the stable-toolchain companion of the `policy_parse` fuzz target).

use crate::support::*;
use proptest::prelude::*;
use rolecall_engine::policy::{Policy, PolicyType};

const TOKENS: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    ":",
    ",",
    "\"Version\"",
    "\"2012-10-17\"",
    "\"Statement\"",
    "\"Effect\"",
    "\"Allow\"",
    "\"Deny\"",
    "\"Action\"",
    "\"NotAction\"",
    "\"Resource\"",
    "\"*\"",
    "\"Principal\"",
    "\"AWS\"",
    "\"Condition\"",
    "\"StringLike\"",
    "\"ForAllValues:StringEquals\"",
    "\"NullIfExists\"",
    "\"${aws:username}\"",
    "\"${\"",
    "\"${x, 'y'}\"",
    "\"AIDé\"",
    "\"é\"",
    "1",
    "true",
    "null",
    "\n",
    "\t",
    "- ",
];

fn soup() -> impl Strategy<Value = String> {
    proptest::collection::vec(proptest::sample::select(TOKENS), 0..40).prop_map(|t| t.concat())
}

/// Text that may contain wildcards, variables, colons and multi-byte characters.
fn value() -> impl Strategy<Value = String> {
    proptest::string::string_regex("[a-z0-9:*?/${}',. é-]{0,24}").unwrap()
}

const OPERATORS: &[&str] = &[
    "StringLike",
    "StringEquals",
    "ArnLike",
    "ArnNotLike",
    "DateLessThan",
    "NumericEquals",
    "IpAddress",
    "Bool",
    "BinaryEquals",
    "Null",
    "ForAnyValue:StringLike",
    "ForAllValues:ArnEquals",
];

fn check(text: &str) {
    if let Ok(policy) = Policy::from_json(text) {
        for kind in [
            PolicyType::IdentityBased,
            PolicyType::RoleTrust,
            PolicyType::ResourceBased,
        ] {
            let _ = policy.check_for(kind);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn token_soup_never_panics(text in soup()) {
        check(&text);
    }

    #[test]
    fn random_values_in_a_valid_policy_never_panic(
        action in value(),
        resource in value(),
        op in proptest::sample::select(OPERATORS),
        cond in value(),
        request_value in value(),
        principal in value(),
    ) {
        let esc = |s: &str| serde_json::to_string(s).unwrap();
        let identity = format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":{},"Resource":{},"Condition":{{"{op}":{{"k":{}}}}}}}]}}"#,
            esc(&format!("svc:{action}")), esc(&format!("arn:{resource}")), esc(&cond)
        );
        let trust = format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"AWS":{}}},"Action":"sts:AssumeRole"}}]}}"#,
            esc(&principal)
        );
        check(&identity);
        check(&trust);
        let identity_ok = Policy::from_json(&identity).is_ok();
        let trust_ok = Policy::from_json(&trust).is_ok();
        // `Case` holds 'static context values; leaking one short string per case is harmless.
        let leaked_request = Box::leak(request_value.clone().into_boxed_str());
        let case = Case {
            identity: if identity_ok { vec![identity] } else { vec![] },
            context: vec![("k", leaked_request), ("aws:username", leaked_request)],
            ..Case::assume(OAAR_B, B, trust_ok.then_some(trust))
        };
        let _ = case.run_traced();
    }
}
