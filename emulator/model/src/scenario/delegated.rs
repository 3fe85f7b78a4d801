//! Delegated administrators: member accounts registered for AWS services, checked against the
//! accounts once they are built (membership and join dates are known only then).
//!
//! The checks follow what RegisterDelegatedAdministrator refuses (Organizations API
//! reference): the management account cannot be registered (ConstraintViolationException
//! reason `CANNOT_REGISTER_MASTER_AS_DELEGATED_ADMINISTRATOR`), an account registered twice for
//! one service is `AccountAlreadyRegisteredException`, an account outside the organization is
//! `AccountNotFoundException`, and the service principal must match the model's
//! `ServicePrincipal` shape (`[\w+=,.@-]*`, 1 to 128 characters).

use super::build::{parse_time, Problems};
use super::spec::OrganizationSpec;
use crate::{Account, DelegatedAdministrator, Organization};
use time::format_description::well_known::Rfc3339;

/// The organization's delegated administrators, in scenario order. A registration without
/// `registered_at` dates from when its account joined, the earliest time it could have been
/// made.
pub(super) fn delegated_administrators(
    spec: &OrganizationSpec,
    org: &Organization,
    accounts: &[Account],
    p: &mut Problems,
) -> Vec<DelegatedAdministrator> {
    let mut registered: Vec<DelegatedAdministrator> = Vec::new();
    for d in &spec.delegated_administrators {
        let id = d.account.value.as_str();
        let principal = d.service_principal.value.as_str();
        if !is_service_principal(principal) {
            p.at(
                &d.service_principal,
                format!(
                    "'{principal}' is not a service principal such as securityhub.amazonaws.com"
                ),
            );
        }
        let Some(account) = accounts.iter().find(|a| a.id == id) else {
            p.at(
                &d.account,
                format!("no account {id} is declared under accounts"),
            );
            continue;
        };
        if id == org.management_account {
            p.at(
                &d.account,
                "the management account cannot be registered as a delegated administrator",
            );
            continue;
        }
        if !account.in_organization {
            p.at(
                &d.account,
                format!("account {id} is outside the organization, so it cannot be a delegated administrator"),
            );
            continue;
        }
        if registered
            .iter()
            .any(|r| r.account_id == id && r.service_principal == principal)
        {
            p.at(
                &d.account,
                format!("account {id} is already registered as a delegated administrator for {principal}"),
            );
            continue;
        }
        let enabled_at = match &d.registered_at {
            Some(at) => match parse_time(at, p) {
                Some(t) if t < account.joined_at => {
                    p.at(
                        at,
                        format!(
                            "account {id} joined the organization at {}; it cannot have been registered before that",
                            account.joined_at.format(&Rfc3339).unwrap_or_default()
                        ),
                    );
                    continue;
                }
                Some(t) => t,
                None => continue,
            },
            None => account.joined_at,
        };
        registered.push(DelegatedAdministrator {
            account_id: id.to_string(),
            service_principal: principal.to_string(),
            enabled_at,
        });
    }
    registered
}

/// The model's `ServicePrincipal` pattern and length, and the `.amazonaws.com` ending every
/// service principal Organizations recognizes has (a typo such as `securityhub` would be
/// `UNRECOGNIZED_SERVICE_PRINCIPAL` on AWS).
fn is_service_principal(s: &str) -> bool {
    (1..=128).contains(&s.len())
        && s.bytes().all(|b| {
            b.is_ascii_alphanumeric() || matches!(b, b'_' | b'+' | b'=' | b',' | b'.' | b'@' | b'-')
        })
        && s.strip_suffix(".amazonaws.com")
            .is_some_and(|service| !service.is_empty())
}

#[cfg(test)]
mod tests {
    use super::is_service_principal;

    #[test]
    fn service_principals_are_checked_against_the_model() {
        assert!(is_service_principal("securityhub.amazonaws.com"));
        assert!(is_service_principal(
            "config-multiaccountsetup.amazonaws.com"
        ));
        assert!(!is_service_principal("securityhub"));
        assert!(!is_service_principal(".amazonaws.com"));
        assert!(!is_service_principal("security hub.amazonaws.com"));
    }
}
