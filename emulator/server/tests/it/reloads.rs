//! Reloads run one at a time and the newest file wins: forty at once each read a 9 MB file on
//! a thread of its own (7.6 GB), and a slow read of the old file, finishing last, overwrote a
//! newer one, leaving a revoked permission in force.

use rolecall_server::Emulator;
use rolecall_test_support::*;
use std::sync::{Arc, Barrier};

/// A scenario with `accounts` accounts (slow enough to read that reloads overlap) whose user
/// `probe` in 111111111111 has the access key `key`.
fn scenario(accounts: usize, key: &str) -> String {
    let mut text = format!(
        "accounts:\n  - id: \"111111111111\"\n    users:\n      - name: probe\n        access_keys:\n          - {{ id: {key}, secret: probeprobeprobeprobeprobeprobeprobeprob }}\n"
    );
    for n in 0..accounts {
        text.push_str(&format!(
            "  - id: \"{:012}\"\n    users:\n      - name: u{n}\n        policies:\n          - name: p\n            document: {{ Version: \"2012-10-17\", Statement: [{{ Effect: Allow, Action: \"ec2:Describe*\", Resource: \"*\" }}] }}\n",
            200_000_000_000u64 + n as u64
        ));
    }
    text
}

fn key_works(server: &TestServer, key: &str) -> bool {
    let keys = Keys::long_term(key, "probeprobeprobeprobeprobeprobeprobeprob");
    server.sts(&keys, "GetCallerIdentity", &[]).status == 200
}

#[test]
fn the_newest_file_wins_even_when_an_older_read_is_slower() {
    let dir = std::env::temp_dir().join(format!("rolecall-reloads-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("scenario.yaml");
    std::fs::write(&file, scenario(1, "AKIAORIGINALORIGINAL")).unwrap();
    let server = TestServer::start_file(&file);

    for _ in 0..3 {
        // A large file with the old key, then, while it is being read, a small one with the
        // new key: the small one is read second, whatever order the reads finish in.
        std::fs::write(&file, scenario(3000, "AKIAOLDOLDOLDOLDOLD1")).unwrap();
        let slow = {
            let emulator = server.emulator.clone();
            std::thread::spawn(move || emulator.reload())
        };
        std::thread::sleep(std::time::Duration::from_millis(20));
        std::fs::write(&file, scenario(1, "AKIANEWNEWNEWNEWNEW1")).unwrap();
        server.emulator.reload().unwrap();
        slow.join().unwrap().unwrap();
        assert!(
            key_works(&server, "AKIANEWNEWNEWNEWNEW1"),
            "the newest file is served"
        );
        assert!(!key_works(&server, "AKIAOLDOLDOLDOLDOLD1"));
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn reloads_asked_for_at_once_share_one_read_of_the_file() {
    let dir = std::env::temp_dir().join(format!("rolecall-reloads-at-once-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("scenario.yaml");
    std::fs::write(&file, scenario(1000, "AKIAORIGINALORIGINAL")).unwrap();
    let emulator = Emulator::from_file(&file).unwrap();
    let start = Arc::new(Barrier::new(40));
    let reloads: Vec<_> = (0..40)
        .map(|_| {
            let emulator = emulator.clone();
            let start = start.clone();
            std::thread::spawn(move || {
                start.wait();
                emulator.reload()
            })
        })
        .collect();
    for reload in reloads {
        reload.join().unwrap().unwrap();
    }
    // Forty at once: the first read, and at most one more for all that arrived during it
    // (a thread that reached the lock late may need one more of its own).
    let reads = emulator.reload_reads();
    assert!((1..=3).contains(&reads), "{reads} reads for 40 reloads");
    // A failed reload answers every reload waiting on it with its problems.
    std::fs::write(&file, "accounts: [").unwrap();
    let failed = emulator.reload().unwrap_err();
    assert!(failed.to_string().contains("scenario.yaml"), "{failed}");
    let _ = std::fs::remove_dir_all(&dir);
}
