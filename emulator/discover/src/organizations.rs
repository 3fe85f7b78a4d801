//! Organizations ListAccounts over awsJson1.1: every account of the organization, page by
//! page with `NextToken`.

use super::credentials::Credentials;
use super::endpoints::Service;
use super::errors::ApiError;
use super::http::{Body, Client};
use serde::{Deserialize, Serialize};

/// At most this many pages are read (20 accounts a page: 200,000 accounts, far beyond any
/// organization's quota), so a server that always answers a NextToken cannot loop us forever.
const MAX_PAGES: usize = 10_000;

/// One account as ListAccounts describes it.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Account {
    pub id: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub email: String,
    /// `ACTIVE`, `SUSPENDED`, `PENDING_CLOSURE` (AWS is replacing it with `State`).
    #[serde(default)]
    pub status: String,
    /// `CREATED` or `INVITED`.
    #[serde(default)]
    pub joined_method: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Page {
    #[serde(default)]
    accounts: Vec<Account>,
    #[serde(default)]
    next_token: Option<String>,
}

/// Every account of the caller's organization, in the order the service lists them.
/// `home` picks the partition, whose one Organizations endpoint is called.
pub async fn list_accounts(
    client: &Client,
    home: &str,
    credentials: &Credentials,
) -> Result<Vec<Account>, ApiError> {
    let mut accounts = Vec::new();
    let mut token: Option<String> = None;
    for _ in 0..MAX_PAGES {
        let json = match &token {
            None => "{}".to_string(),
            Some(t) => serde_json::json!({ "NextToken": t }).to_string(),
        };
        let answer = client
            .call(
                Service::Organizations,
                home,
                credentials,
                Body::Json {
                    target: "AWSOrganizationsV20161128.ListAccounts",
                    json: &json,
                },
            )
            .await?;
        let page: Page = serde_json::from_str(&answer.body)
            .map_err(|_| super::sts::unexpected("ListAccounts", &answer.body))?;
        accounts.extend(page.accounts);
        match page.next_token {
            Some(t) if !t.is_empty() => token = Some(t),
            _ => return Ok(accounts),
        }
    }
    Err(ApiError {
        status: 200,
        code: "TooManyPages".into(),
        message: format!("ListAccounts still had more after {MAX_PAGES} pages"),
        request_id: None,
    })
}
