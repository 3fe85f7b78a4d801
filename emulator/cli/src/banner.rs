//! What `rolecall serve` prints when it is ready: the address, then the exports a user pastes.

use rolecall_model::KeyOwner;
use rolecall_server::Emulator;
use std::io::Write;
use std::net::SocketAddr;

/// The first line is exactly `rolecall listening on http://ADDR`: tests and scripts read it to
/// find the port when listening on port 0.
pub(crate) fn print(addr: SocketAddr, emulator: &Emulator) {
    let world = emulator.world();
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "rolecall listening on http://{addr}");
    let _ = writeln!(out, "# scenario: {}", emulator.scenario_name());
    if let Some(d) = &world.description {
        let _ = writeln!(out, "# {}", d.trim());
    }
    let _ = writeln!(out, "export AWS_ENDPOINT_URL=http://{addr}");
    // AWS_REGION for the SDKs, AWS_DEFAULT_REGION for the AWS CLI v1, which reads only that.
    let _ = writeln!(
        out,
        "export AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1"
    );
    // One line per principal with keys, in scenario order; all but the first are commented so
    // a paste of the whole block leaves one identity in effect.
    let mut first = true;
    for account in world.accounts() {
        let mut keys: Vec<_> = world
            .long_term_keys()
            .filter(|(_, k)| k.account == account.id)
            .collect();
        keys.sort_by(|a, b| a.0.cmp(b.0));
        for (id, key) in keys {
            let who = match &key.owner {
                KeyOwner::Root => format!("root of {}", account.id),
                KeyOwner::User(name) => format!("user {name} in {}", account.id),
            };
            let prefix = if first { "" } else { "# " };
            first = false;
            let _ = writeln!(
                out,
                "{prefix}export AWS_ACCESS_KEY_ID={id} AWS_SECRET_ACCESS_KEY={}  # {who}",
                key.secret
            );
        }
    }
    let _ = out.flush();
}
