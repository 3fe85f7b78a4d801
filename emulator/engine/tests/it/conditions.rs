//! Condition operators, qualifiers, IfExists, Null, missing keys and policy variables.
//! Each row is one identity policy `Allow * on *` with one Condition block; the row says
//! whether the request's context satisfies it. Facts: IAM User Guide,
//! reference_policies_elements_condition_operators.md (CO),
//! reference_policies_multi-value-conditions.md (MV), reference_policies_variables.md (PV).
//! A context key written `+key` is multivalued, its values comma-separated.

use crate::support::*;

/// (name, Condition block body, context, satisfied?)
type Row = (
    &'static str,
    &'static str,
    &'static [(&'static str, &'static str)],
    bool,
);

#[rustfmt::skip]
const ROWS: &[Row] = &[
    // String operators (CO: StringEquals is exact and case-sensitive).
    ("string_equals_matches", r#""StringEquals":{"aws:username":"alice"}"#, &[("aws:username", "alice")], true),
    ("string_equals_is_case_sensitive", r#""StringEquals":{"aws:username":"alice"}"#, &[("aws:username", "Alice")], false),
    ("string_equals_missing_key_is_false", r#""StringEquals":{"aws:username":"alice"}"#, &[], false),
    ("condition_key_names_ignore_case", r#""StringEquals":{"AWS:UserName":"alice"}"#, &[("aws:username", "alice")], true),
    ("several_values_are_ored", r#""StringEquals":{"aws:username":["bob","alice"]}"#, &[("aws:username", "alice")], true),
    ("several_values_none_matching", r#""StringEquals":{"aws:username":["bob","carol"]}"#, &[("aws:username", "alice")], false),
    ("string_not_equals_other_value", r#""StringNotEquals":{"aws:username":"alice"}"#, &[("aws:username", "bob")], true),
    ("string_not_equals_same_value", r#""StringNotEquals":{"aws:username":"alice"}"#, &[("aws:username", "alice")], false),
    ("string_not_equals_missing_key_is_true_co", r#""StringNotEquals":{"aws:username":"alice"}"#, &[], true),
    ("string_not_equals_must_match_none_of_the_values", r#""StringNotEquals":{"aws:username":["a","b"]}"#, &[("aws:username", "b")], false),
    ("string_equals_ignore_case", r#""StringEqualsIgnoreCase":{"aws:username":"ALICE"}"#, &[("aws:username", "alice")], true),
    ("string_equals_ignore_case_other", r#""StringEqualsIgnoreCase":{"aws:username":"ALICE"}"#, &[("aws:username", "bob")], false),
    ("string_not_equals_ignore_case_same", r#""StringNotEqualsIgnoreCase":{"aws:username":"ALICE"}"#, &[("aws:username", "alice")], false),
    ("string_not_equals_ignore_case_missing", r#""StringNotEqualsIgnoreCase":{"aws:username":"ALICE"}"#, &[], true),
    ("string_like_star", r#""StringLike":{"aws:username":"al*"}"#, &[("aws:username", "alice")], true),
    ("string_like_question_mark", r#""StringLike":{"aws:username":"a?ice"}"#, &[("aws:username", "alice")], true),
    ("string_like_question_mark_needs_one_char", r#""StringLike":{"aws:username":"a?ice"}"#, &[("aws:username", "aice")], false),
    ("string_like_star_matches_empty", r#""StringLike":{"aws:username":"alice*"}"#, &[("aws:username", "alice")], true),
    ("string_like_missing_key_is_false", r#""StringLike":{"aws:username":"*"}"#, &[], false),
    ("string_like_is_case_sensitive", r#""StringLike":{"aws:username":"ALICE"}"#, &[("aws:username", "alice")], false),
    ("string_like_inner_star", r#""StringLike":{"s3:prefix":"home/*/docs"}"#, &[("s3:prefix", "home/alice/docs")], true),
    ("string_not_like_other", r#""StringNotLike":{"aws:username":"al*"}"#, &[("aws:username", "bob")], true),
    ("string_not_like_matching", r#""StringNotLike":{"aws:username":"al*"}"#, &[("aws:username", "alice")], false),
    ("string_not_like_missing_is_true_co", r#""StringNotLike":{"aws:username":"al*"}"#, &[], true),
    ("string_equals_has_no_wildcards_co", r#""StringEquals":{"aws:username":"al*"}"#, &[("aws:username", "alice")], false),
    ("string_equals_star_is_literal", r#""StringEquals":{"aws:username":"al*"}"#, &[("aws:username", "al*")], true),
    ("string_equals_number_value_read_as_text", r#""StringEquals":{"s3:max-keys":10}"#, &[("s3:max-keys", "10")], true),
    // Numeric operators.
    ("numeric_equals", r#""NumericEquals":{"s3:max-keys":"10"}"#, &[("s3:max-keys", "10")], true),
    ("numeric_equals_compares_numbers_not_text", r#""NumericEquals":{"s3:max-keys":10}"#, &[("s3:max-keys", "10.0")], true),
    ("numeric_equals_other", r#""NumericEquals":{"s3:max-keys":10}"#, &[("s3:max-keys", "11")], false),
    ("numeric_not_equals", r#""NumericNotEquals":{"s3:max-keys":10}"#, &[("s3:max-keys", "11")], true),
    ("numeric_not_equals_same", r#""NumericNotEquals":{"s3:max-keys":10}"#, &[("s3:max-keys", "10")], false),
    ("numeric_not_equals_missing_is_true", r#""NumericNotEquals":{"s3:max-keys":10}"#, &[], true),
    ("numeric_less_than", r#""NumericLessThan":{"s3:max-keys":10}"#, &[("s3:max-keys", "9")], true),
    ("numeric_less_than_equal_value", r#""NumericLessThan":{"s3:max-keys":10}"#, &[("s3:max-keys", "10")], false),
    ("numeric_less_than_equals", r#""NumericLessThanEquals":{"s3:max-keys":10}"#, &[("s3:max-keys", "10")], true),
    ("numeric_less_than_equals_greater", r#""NumericLessThanEquals":{"s3:max-keys":10}"#, &[("s3:max-keys", "11")], false),
    ("numeric_greater_than", r#""NumericGreaterThan":{"s3:max-keys":10}"#, &[("s3:max-keys", "11")], true),
    ("numeric_greater_than_equal_value", r#""NumericGreaterThan":{"s3:max-keys":10}"#, &[("s3:max-keys", "10")], false),
    ("numeric_greater_than_equals", r#""NumericGreaterThanEquals":{"s3:max-keys":10}"#, &[("s3:max-keys", "10")], true),
    ("numeric_greater_than_equals_less", r#""NumericGreaterThanEquals":{"s3:max-keys":10}"#, &[("s3:max-keys", "9")], false),
    ("numeric_request_value_not_a_number", r#""NumericEquals":{"s3:max-keys":10}"#, &[("s3:max-keys", "ten")], false),
    ("numeric_missing_key_is_false", r#""NumericLessThan":{"s3:max-keys":10}"#, &[], false),
    ("numeric_decimal", r#""NumericLessThan":{"aws:MultiFactorAuthAge":"3600.5"}"#, &[("aws:MultiFactorAuthAge", "3600")], true),
    // Date operators (CO: ISO 8601 or epoch seconds).
    ("date_greater_than", r#""DateGreaterThan":{"aws:CurrentTime":"2020-01-01T00:00:00Z"}"#, &[("aws:CurrentTime", "2024-05-01T12:00:00Z")], true),
    ("date_less_than_later_time", r#""DateLessThan":{"aws:CurrentTime":"2020-01-01T00:00:00Z"}"#, &[("aws:CurrentTime", "2024-05-01T12:00:00Z")], false),
    ("date_less_than", r#""DateLessThan":{"aws:CurrentTime":"2030-01-01T00:00:00Z"}"#, &[("aws:CurrentTime", "2024-05-01T12:00:00Z")], true),
    ("date_equals", r#""DateEquals":{"aws:CurrentTime":"2024-05-01T12:00:00Z"}"#, &[("aws:CurrentTime", "2024-05-01T12:00:00Z")], true),
    ("date_equals_epoch_policy_value", r#""DateEquals":{"aws:CurrentTime":"1714564800"}"#, &[("aws:CurrentTime", "2024-05-01T12:00:00Z")], true),
    ("date_equals_across_time_zones", r#""DateEquals":{"aws:CurrentTime":"2024-05-01T14:00:00+02:00"}"#, &[("aws:CurrentTime", "2024-05-01T12:00:00Z")], true),
    ("date_not_equals", r#""DateNotEquals":{"aws:CurrentTime":"2024-05-01T12:00:00Z"}"#, &[("aws:CurrentTime", "2024-05-02T00:00:00Z")], true),
    ("date_not_equals_same", r#""DateNotEquals":{"aws:CurrentTime":"2024-05-01T12:00:00Z"}"#, &[("aws:CurrentTime", "2024-05-01T12:00:00Z")], false),
    ("date_less_than_equals_same", r#""DateLessThanEquals":{"aws:CurrentTime":"2024-05-01T12:00:00Z"}"#, &[("aws:CurrentTime", "2024-05-01T12:00:00Z")], true),
    ("date_greater_than_equals_same", r#""DateGreaterThanEquals":{"aws:CurrentTime":"2024-05-01T12:00:00Z"}"#, &[("aws:CurrentTime", "2024-05-01T12:00:00Z")], true),
    ("date_greater_than_equals_earlier", r#""DateGreaterThanEquals":{"aws:CurrentTime":"2024-05-01T12:00:00Z"}"#, &[("aws:CurrentTime", "2024-05-01T11:59:59Z")], false),
    ("date_epoch_request_value", r#""DateGreaterThan":{"aws:EpochTime":"2020-01-01"}"#, &[("aws:EpochTime", "1714564800")], true),
    ("date_date_only_policy_value", r#""DateLessThan":{"aws:CurrentTime":"2024-05-02"}"#, &[("aws:CurrentTime", "2024-05-01T23:59:59Z")], true),
    ("date_request_value_not_a_date", r#""DateLessThan":{"aws:CurrentTime":"2030-01-01"}"#, &[("aws:CurrentTime", "soon")], false),
    ("date_not_equals_missing_is_true", r#""DateNotEquals":{"aws:CurrentTime":"2030-01-01"}"#, &[], true),
    ("date_missing_is_false", r#""DateGreaterThan":{"aws:CurrentTime":"2020-01-01"}"#, &[], false),
    // Bool.
    ("bool_true", r#""Bool":{"aws:SecureTransport":"true"}"#, &[("aws:SecureTransport", "true")], true),
    ("bool_true_against_false", r#""Bool":{"aws:SecureTransport":"true"}"#, &[("aws:SecureTransport", "false")], false),
    ("bool_json_boolean_value", r#""Bool":{"aws:SecureTransport":true}"#, &[("aws:SecureTransport", "true")], true),
    ("bool_ignores_case", r#""Bool":{"aws:SecureTransport":"true"}"#, &[("aws:SecureTransport", "TRUE")], true),
    ("bool_false", r#""Bool":{"aws:SecureTransport":"false"}"#, &[("aws:SecureTransport", "false")], true),
    ("bool_missing_is_false", r#""Bool":{"aws:MultiFactorAuthPresent":"true"}"#, &[], false),
    ("bool_if_exists_missing_is_true_co", r#""BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}"#, &[], true),
    ("bool_if_exists_present_false", r#""BoolIfExists":{"aws:MultiFactorAuthPresent":"true"}"#, &[("aws:MultiFactorAuthPresent", "false")], false),
    // Binary (CO: byte for byte against a base-64 value).
    ("binary_equals", r#""BinaryEquals":{"key":"QmluYXJ5VmFsdWU="}"#, &[("key", "QmluYXJ5VmFsdWU=")], true),
    ("binary_equals_other_bytes", r#""BinaryEquals":{"key":"QmluYXJ5VmFsdWU="}"#, &[("key", "T3RoZXI=")], false),
    ("binary_equals_missing", r#""BinaryEquals":{"key":"QmluYXJ5VmFsdWU="}"#, &[], false),
    // IP addresses (CO: a bare address means /32).
    ("ip_in_cidr", r#""IpAddress":{"aws:SourceIp":"203.0.113.0/24"}"#, &[("aws:SourceIp", "203.0.113.7")], true),
    ("ip_outside_cidr", r#""IpAddress":{"aws:SourceIp":"203.0.113.0/24"}"#, &[("aws:SourceIp", "198.51.100.1")], false),
    ("ip_bare_address_is_slash_32", r#""IpAddress":{"aws:SourceIp":"203.0.113.7"}"#, &[("aws:SourceIp", "203.0.113.7")], true),
    ("ip_bare_address_other_host", r#""IpAddress":{"aws:SourceIp":"203.0.113.7"}"#, &[("aws:SourceIp", "203.0.113.8")], false),
    ("ip_v6", r#""IpAddress":{"aws:SourceIp":"2001:db8::/32"}"#, &[("aws:SourceIp", "2001:db8::1")], true),
    ("ip_v6_against_v4", r#""IpAddress":{"aws:SourceIp":"2001:db8::/32"}"#, &[("aws:SourceIp", "203.0.113.7")], false),
    ("ip_list_is_ored", r#""IpAddress":{"aws:SourceIp":["10.0.0.0/8","203.0.113.0/24"]}"#, &[("aws:SourceIp", "10.1.2.3")], true),
    ("ip_missing_is_false", r#""IpAddress":{"aws:SourceIp":"10.0.0.0/8"}"#, &[], false),
    ("ip_request_value_garbage", r#""IpAddress":{"aws:SourceIp":"10.0.0.0/8"}"#, &[("aws:SourceIp", "localhost")], false),
    ("not_ip_outside", r#""NotIpAddress":{"aws:SourceIp":"203.0.113.0/24"}"#, &[("aws:SourceIp", "198.51.100.1")], true),
    ("not_ip_inside", r#""NotIpAddress":{"aws:SourceIp":"203.0.113.0/24"}"#, &[("aws:SourceIp", "203.0.113.9")], false),
    ("not_ip_missing_is_true", r#""NotIpAddress":{"aws:SourceIp":"203.0.113.0/24"}"#, &[], true),
    // ARN operators (CO: ArnEquals and ArnLike behave identically; segments separately).
    ("arn_equals_takes_wildcards_like_arn_like", r#""ArnEquals":{"aws:PrincipalArn":"arn:aws:iam::111111111111:role/*"}"#, &[("aws:PrincipalArn", "arn:aws:iam::111111111111:role/Admin")], true),
    ("arn_like_account_wildcard", r#""ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:role/Admin"}"#, &[("aws:PrincipalArn", "arn:aws:iam::222222222222:role/Admin")], true),
    ("arn_like_is_case_sensitive", r#""ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:role/Admin"}"#, &[("aws:PrincipalArn", "arn:aws:iam::222222222222:role/admin")], false),
    ("arn_like_service_segment_differs", r#""ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:role/*"}"#, &[("aws:PrincipalArn", "arn:aws:sts::111111111111:assumed-role/x/y")], false),
    ("arn_like_star_does_not_cross_colons", r#""ArnLike":{"aws:PrincipalArn":"arn:*:role/Admin"}"#, &[("aws:PrincipalArn", "arn:aws:iam::111111111111:role/Admin")], false),
    ("arn_like_resource_part_spans_colons", r#""ArnLike":{"aws:SourceArn":"arn:aws:logs:us-east-1:111111111111:log-group:*"}"#, &[("aws:SourceArn", "arn:aws:logs:us-east-1:111111111111:log-group:app:log-stream:x")], true),
    ("arn_not_like_other_account", r#""ArnNotLike":{"aws:PrincipalArn":"arn:aws:iam::111111111111:role/*"}"#, &[("aws:PrincipalArn", "arn:aws:iam::222222222222:role/x")], true),
    ("arn_not_like_missing_is_true_co", r#""ArnNotLike":{"aws:PrincipalArn":"arn:aws:iam::111111111111:role/*"}"#, &[], true),
    ("arn_not_equals_matching", r#""ArnNotEquals":{"aws:PrincipalArn":"arn:aws:iam::111111111111:role/*"}"#, &[("aws:PrincipalArn", "arn:aws:iam::111111111111:role/x")], false),
    ("arn_like_not_an_arn", r#""ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:role/*"}"#, &[("aws:PrincipalArn", "not-an-arn")], false),
    // Null (CO: true = the key is absent).
    ("null_true_key_absent", r#""Null":{"aws:TokenIssueTime":"true"}"#, &[], true),
    ("null_true_key_present", r#""Null":{"aws:TokenIssueTime":"true"}"#, &[("aws:TokenIssueTime", "2024-05-01T12:00:00Z")], false),
    ("null_false_key_present", r#""Null":{"aws:TokenIssueTime":"false"}"#, &[("aws:TokenIssueTime", "2024-05-01T12:00:00Z")], true),
    ("null_false_key_absent", r#""Null":{"aws:TokenIssueTime":false}"#, &[], false),
    ("null_true_empty_set_counts_as_absent", r#""Null":{"aws:TagKeys":"true"}"#, &[("+aws:TagKeys", "")], true),
    // IfExists (CO: key missing -> true; present -> the operator decides).
    ("string_equals_if_exists_missing", r#""StringEqualsIfExists":{"aws:username":"alice"}"#, &[], true),
    ("string_equals_if_exists_other", r#""StringEqualsIfExists":{"aws:username":"alice"}"#, &[("aws:username", "bob")], false),
    ("string_equals_if_exists_same", r#""StringEqualsIfExists":{"aws:username":"alice"}"#, &[("aws:username", "alice")], true),
    ("numeric_if_exists_missing", r#""NumericLessThanIfExists":{"s3:max-keys":10}"#, &[], true),
    ("arn_like_if_exists_missing", r#""ArnLikeIfExists":{"aws:SourceArn":"arn:aws:s3:::b"}"#, &[], true),
    ("ip_if_exists_missing", r#""IpAddressIfExists":{"aws:SourceIp":"10.0.0.0/8"}"#, &[], true),
    ("date_if_exists_present_false", r#""DateGreaterThanIfExists":{"aws:CurrentTime":"2030-01-01"}"#, &[("aws:CurrentTime", "2024-01-01T00:00:00Z")], false),
    // ForAllValues / ForAnyValue (MV).
    ("for_all_values_subset", r#""ForAllValues:StringEquals":{"aws:TagKeys":["env","team"]}"#, &[("+aws:TagKeys", "env")], true),
    ("for_all_values_extra_value", r#""ForAllValues:StringEquals":{"aws:TagKeys":["env","team"]}"#, &[("+aws:TagKeys", "env,cost")], false),
    ("for_all_values_missing_key_is_true_mv", r#""ForAllValues:StringEquals":{"aws:TagKeys":["env"]}"#, &[], true),
    ("for_all_values_empty_set_is_true_mv", r#""ForAllValues:StringEquals":{"aws:TagKeys":["env"]}"#, &[("+aws:TagKeys", "")], true),
    ("for_any_value_one_match", r#""ForAnyValue:StringEquals":{"aws:TagKeys":["env"]}"#, &[("+aws:TagKeys", "env,cost")], true),
    ("for_any_value_no_match", r#""ForAnyValue:StringEquals":{"aws:TagKeys":["env"]}"#, &[("+aws:TagKeys", "cost")], false),
    ("for_any_value_missing_key_is_false_mv", r#""ForAnyValue:StringEquals":{"aws:TagKeys":["env"]}"#, &[], false),
    ("for_any_value_empty_set_is_false_mv", r#""ForAnyValue:StringEquals":{"aws:TagKeys":["env"]}"#, &[("+aws:TagKeys", "")], false),
    ("for_all_values_string_like", r#""ForAllValues:StringLike":{"aws:TagKeys":["env*"]}"#, &[("+aws:TagKeys", "env1,env2")], true),
    ("for_any_value_string_not_equals_some_other", r#""ForAnyValue:StringNotEquals":{"aws:TagKeys":["env"]}"#, &[("+aws:TagKeys", "env,cost")], true),
    ("for_any_value_string_not_equals_only_listed", r#""ForAnyValue:StringNotEquals":{"aws:TagKeys":["env"]}"#, &[("+aws:TagKeys", "env")], false),
    ("for_any_value_string_not_equals_missing_is_false", r#""ForAnyValue:StringNotEquals":{"aws:TagKeys":["env"]}"#, &[], false),
    ("for_all_values_string_not_equals_none_listed", r#""ForAllValues:StringNotEquals":{"aws:TagKeys":["env"]}"#, &[("+aws:TagKeys", "cost,team")], true),
    ("for_all_values_string_not_equals_one_listed", r#""ForAllValues:StringNotEquals":{"aws:TagKeys":["env"]}"#, &[("+aws:TagKeys", "cost,env")], false),
    ("for_any_value_if_exists_missing", r#""ForAnyValue:StringEqualsIfExists":{"aws:TagKeys":["env"]}"#, &[], true),
    ("for_all_values_ignore_case", r#""ForAllValues:StringEqualsIgnoreCase":{"aws:TagKeys":["ENV"]}"#, &[("+aws:TagKeys", "env,Env")], true),
    ("for_any_value_on_single_valued_key", r#""ForAnyValue:StringEquals":{"aws:username":["alice"]}"#, &[("aws:username", "alice")], true),
    ("for_any_value_numeric", r#""ForAnyValue:NumericGreaterThan":{"ports":[1000]}"#, &[("+ports", "22,8080")], true),
    ("for_all_values_arn_like", r#""ForAllValues:ArnLike":{"arns":["arn:aws:iam::111111111111:*"]}"#, &[("+arns", "arn:aws:iam::111111111111:role/a,arn:aws:iam::222222222222:role/b")], false),
    ("unqualified_operator_on_multivalued_key_any_value", r#""StringEquals":{"aws:TagKeys":"b"}"#, &[("+aws:TagKeys", "a,b")], true),
    ("unqualified_negated_operator_on_multivalued_key", r#""StringNotEquals":{"aws:TagKeys":"b"}"#, &[("+aws:TagKeys", "a,b")], false),
    // Several operators and several keys are AND'ed (MV).
    ("two_operators_both_true", r#""StringEquals":{"aws:username":"alice"},"Bool":{"aws:SecureTransport":"true"}"#, &[("aws:username", "alice"), ("aws:SecureTransport", "true")], true),
    ("two_operators_one_false", r#""StringEquals":{"aws:username":"alice"},"Bool":{"aws:SecureTransport":"true"}"#, &[("aws:username", "alice"), ("aws:SecureTransport", "false")], false),
    ("two_keys_one_false", r#""StringEquals":{"aws:username":"alice","aws:PrincipalAccount":"111111111111"}"#, &[ ("aws:username", "alice"), ("aws:PrincipalAccount", "222222222222"), ], false),
    ("two_keys_both_true", r#""StringEquals":{"aws:username":"alice","aws:PrincipalAccount":"111111111111"}"#, &[ ("aws:username", "alice"), ("aws:PrincipalAccount", "111111111111"), ], true),
    // Policy variables in condition values (PV).
    ("variable_in_string_value", r#""StringEquals":{"s3:prefix":"home/${aws:username}/"}"#, &[("s3:prefix", "home/alice/"), ("aws:username", "alice")], true),
    ("variable_other_value", r#""StringEquals":{"s3:prefix":"home/${aws:username}/"}"#, &[("s3:prefix", "home/bob/"), ("aws:username", "alice")], false),
    ("variable_missing_never_matches_pv", r#""StringLike":{"s3:prefix":"home/${aws:username}*"}"#, &[("s3:prefix", "home/")], false),
    ("variable_default_used_when_missing_pv", r#""StringEquals":{"team":"${aws:PrincipalTag/team, 'none'}"}"#, &[("team", "none")], true),
    ("variable_default_ignored_when_present", r#""StringEquals":{"team":"${aws:PrincipalTag/team, 'none'}"}"#, &[("team", "none"), ("aws:PrincipalTag/team", "red")], false),
    ("variable_present_value", r#""StringEquals":{"team":"${aws:PrincipalTag/team, 'none'}"}"#, &[("team", "red"), ("aws:PrincipalTag/team", "red")], true),
    ("variable_key_name_ignores_case_pv", r#""StringEquals":{"who":"${AWS:UserName}"}"#, &[("who", "alice"), ("aws:username", "alice")], true),
    ("variable_star_escape_is_literal_pv", r#""StringLike":{"v":"a${*}b"}"#, &[("v", "a*b")], true),
    ("variable_star_escape_is_not_a_wildcard", r#""StringLike":{"v":"a${*}b"}"#, &[("v", "axb")], false),
    ("variable_question_escape_is_literal", r#""StringLike":{"v":"a${?}"}"#, &[("v", "ab")], false),
    ("variable_question_escape_matches_question", r#""StringLike":{"v":"a${?}"}"#, &[("v", "a?")], true),
    ("variable_dollar_escape", r#""StringEquals":{"v":"${$}x"}"#, &[("v", "$x")], true),
    ("variable_multivalued_never_matches", r#""StringEquals":{"v":"${aws:TagKeys}"}"#, &[("v", "a"), ("+aws:TagKeys", "a,b")], false),
    ("variable_in_arn_condition", r#""ArnLike":{"aws:SourceArn":"arn:aws:iam::${aws:PrincipalAccount}:role/*"}"#, &[ ("aws:SourceArn", "arn:aws:iam::111111111111:role/x"), ("aws:PrincipalAccount", "111111111111"), ], true),
    ("variable_value_is_literal_not_wildcard", r#""StringLike":{"v":"${aws:username}"}"#, &[("v", "alice"), ("aws:username", "a*")], false),
    ("variable_in_bool", r#""Bool":{"aws:SecureTransport":"${flag}"}"#, &[("aws:SecureTransport", "true"), ("flag", "true")], true),
];

#[test]
fn condition_table() {
    let mut failures = Vec::new();
    for (name, block, ctx, expected) in ROWS {
        let policy = doc(&[&stmt(
            "Allow",
            "\"*\"",
            "\"*\"",
            &format!("\"Condition\":{{{block}}}"),
        )]);
        let case = Case {
            identity: vec![policy],
            context: ctx.to_vec(),
            ..Case::default()
        };
        let (decision, _) = case.run();
        if decision.is_allowed() != *expected {
            failures.push(format!(
                "{name}: expected {expected}, got {:?}",
                decision.outcome
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} rows failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(ROWS.len() >= 130, "{} rows", ROWS.len());
}

#[test]
fn a_failing_condition_is_named_in_the_trace() {
    let policy = doc(&[&stmt(
        "Allow",
        "\"*\"",
        "\"*\"",
        r#""Sid":"OnlyAlice","Condition":{"StringEquals":{"aws:username":"alice"}}"#,
    )]);
    let case = Case {
        identity: vec![policy],
        context: vec![("aws:username", "bob")],
        ..Case::default()
    };
    let (_, _, trace) = case.run_traced();
    let statement = &trace.policies[0].statements[0];
    assert!(!statement.matched);
    assert_eq!(statement.sid.as_deref(), Some("OnlyAlice"));
    assert_eq!(
        statement.failed.as_deref(),
        Some("condition StringEquals on aws:username is false (policy values: alice)")
    );
    let json = serde_json::to_string(&trace).unwrap();
    assert!(json.contains("OnlyAlice"), "{json}");
}
