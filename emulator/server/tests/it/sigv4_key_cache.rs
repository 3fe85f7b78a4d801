//! The signing-key cache across scenario reloads: a key whose secret was rotated, or which the
//! scenario no longer has, is refused on the very next request, whatever the cache kept.

use rolecall_test_support::{Keys, TestServer};

const KEY: &str = "AKIAROTATEDEXAMPLE01";
const OLD_SECRET: &str = "OldSecretOldSecretOldSecretOldSecret0001";
const NEW_SECRET: &str = "NewSecretNewSecretNewSecretNewSecret0002";

fn scenario(keys: &str) -> String {
    format!(
        r#"description: one account whose user's keys change between reloads
accounts:
  - id: "111111111111"
    name: solo
    users:
      - name: rotating
        access_keys: [{keys}]
"#
    )
}

fn caller_identity(server: &TestServer, secret: &str) -> rolecall_test_support::Response {
    server.sts(&Keys::long_term(KEY, secret), "GetCallerIdentity", &[])
}

#[test]
fn rotated_and_removed_keys_stop_working_after_a_reload() {
    let dir = std::env::temp_dir().join(format!("rolecall-key-cache-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("scenario.yaml");
    let key = |secret: &str| format!("{{ id: {KEY}, secret: {secret} }}");
    std::fs::write(&file, scenario(&key(OLD_SECRET))).unwrap();
    let server = TestServer::start_file(&file);

    // Twice, so the second request is served from the cache.
    for _ in 0..2 {
        let r = caller_identity(&server, OLD_SECRET);
        assert_eq!(r.status, 200, "{}", r.body);
    }

    std::fs::write(&file, scenario(&key(NEW_SECRET))).unwrap();
    server
        .emulator
        .reload()
        .expect("the rotated scenario loads");
    let old = caller_identity(&server, OLD_SECRET);
    assert_eq!(old.status, 403, "{}", old.body);
    assert_eq!(old.xml("Code").as_deref(), Some("SignatureDoesNotMatch"));
    for _ in 0..2 {
        let r = caller_identity(&server, NEW_SECRET);
        assert_eq!(r.status, 200, "{}", r.body);
    }

    std::fs::write(&file, scenario("")).unwrap();
    server
        .emulator
        .reload()
        .expect("the scenario without keys loads");
    let removed = caller_identity(&server, NEW_SECRET);
    assert_eq!(removed.status, 403, "{}", removed.body);
    assert_eq!(removed.xml("Code").as_deref(), Some("InvalidClientTokenId"));

    let _ = std::fs::remove_dir_all(&dir);
}
