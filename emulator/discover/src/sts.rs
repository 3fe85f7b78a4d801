//! The two STS calls of a walk: who am I (GetCallerIdentity), and become the member's role
//! (AssumeRole). Both speak awsQuery: a form body, an XML answer.

use super::credentials::Credentials;
use super::endpoints::Service;
use super::errors::ApiError;
use super::http::{Body, Client};
use super::xml;
use serde::Serialize;

const VERSION: &str = "2011-06-15";

/// GetCallerIdentity's answer.
#[derive(Debug, Clone, Serialize)]
pub struct Caller {
    pub account: String,
    pub arn: String,
    pub user_id: String,
}

pub async fn get_caller_identity(
    client: &Client,
    region: &str,
    credentials: &Credentials,
) -> Result<Caller, ApiError> {
    let params = [("Action", "GetCallerIdentity"), ("Version", VERSION)];
    let answer = client
        .call(Service::Sts, region, credentials, Body::Form(&params))
        .await?;
    let field = |name: &str| xml::first_text(&answer.body, &["GetCallerIdentityResult", name]);
    match (field("Account"), field("Arn")) {
        (Some(account), Some(arn)) => Ok(Caller {
            account,
            arn,
            user_id: field("UserId").unwrap_or_default(),
        }),
        _ => Err(unexpected("GetCallerIdentity", &answer.body)),
    }
}

/// AssumeRole's inputs beyond the role.
pub struct AssumeRequest<'a> {
    pub role_arn: &'a str,
    pub session_name: &'a str,
    pub external_id: Option<&'a str>,
}

/// Assumes a role and returns its temporary credentials.
pub async fn assume_role(
    client: &Client,
    region: &str,
    credentials: &Credentials,
    request: &AssumeRequest<'_>,
) -> Result<Credentials, ApiError> {
    let mut params = vec![
        ("Action", "AssumeRole"),
        ("Version", VERSION),
        ("RoleArn", request.role_arn),
        ("RoleSessionName", request.session_name),
    ];
    if let Some(id) = request.external_id {
        params.push(("ExternalId", id));
    }
    let answer = client
        .call(Service::Sts, region, credentials, Body::Form(&params))
        .await?;
    let field = |name: &str| xml::first_text(&answer.body, &["Credentials", name]);
    match (
        field("AccessKeyId"),
        field("SecretAccessKey"),
        field("SessionToken"),
    ) {
        (Some(access_key_id), Some(secret_access_key), Some(token)) => Ok(Credentials {
            access_key_id,
            secret_access_key,
            session_token: Some(token),
        }),
        _ => Err(unexpected("AssumeRole", &answer.body)),
    }
}

/// A 2xx answer without the members every such answer has.
pub fn unexpected(action: &str, body: &str) -> ApiError {
    let snippet: String = body.chars().take(200).collect();
    ApiError {
        status: 200,
        code: "UnexpectedResponse".into(),
        message: format!("{action} answered without its result: {snippet}"),
        request_id: None,
    }
}
