//! Large scenarios are read in pieces on several threads (see `scenario::split`): what they
//! load to, and where their problems are reported, must not depend on it.

use rolecall_model::scenario::load_str;

/// `accounts` members, each with a role and `instances` instances in us-east-1.
fn many_accounts(accounts: usize, instances: usize) -> String {
    let mut text = String::from("description: large\naccounts:\n");
    for a in 0..accounts {
        text.push_str(&format!(
            concat!(
                "  - id: \"{:012}\"\n",
                "    roles:\n",
                "      - name: Reader\n",
                "        trust_policy:\n",
                "          Version: \"2012-10-17\"\n",
                "          Statement:\n",
                "            - Effect: Allow\n",
                "              Principal: {{ AWS: \"arn:aws:iam::111111111111:root\" }}\n",
                "              Action: sts:AssumeRole\n",
                "    ec2:\n",
                "      us-east-1:\n",
                "        instances:\n",
            ),
            200_000_000_000u64 + a as u64
        ));
        for n in 0..instances {
            text.push_str(&format!("          - {{ id: i-{a:06x}{n:011x} }}\n"));
        }
    }
    text.push_str("clock:\n  frozen: true\n");
    text
}

/// The 1-based line of the first occurrence of `needle`.
fn line_of(text: &str, needle: &str) -> usize {
    text[..text.find(needle).expect("present")]
        .matches('\n')
        .count()
        + 1
}

#[test]
fn a_large_scenario_loads_whole() {
    let text = many_accounts(150, 40);
    assert!(text.len() > 256 * 1024, "large enough to be read in pieces");
    let world = load_str(&text, "big.yaml").expect("loads");
    let ids: Vec<&str> = world.accounts().map(|a| a.id.as_str()).collect();
    assert_eq!(ids.len(), 150);
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "file order");
    for account in world.accounts() {
        assert_eq!(account.inventory.region("us-east-1").instances.len(), 40);
        assert!(account.roles.contains_key("Reader"));
    }
}

#[test]
fn problems_deep_in_a_large_scenario_keep_their_line_and_column() {
    let mut text = many_accounts(150, 40);
    // A malformed trust policy in a middle account and a bad state near the end.
    let middle = "  - id: \"200000000077\"\n";
    let at = text.find(middle).expect("account 77");
    let policy = text[at..].find("Effect: Allow").expect("its policy") + at;
    text.replace_range(policy..policy + "Effect: Allow".len(), "Effect: Maybe");
    let last = "          - { id: i-00009500000000027 }\n";
    let at = text.find(last).expect("last instance");
    text.insert_str(
        at,
        "          - { id: i-00009500000000fff, state: asleep }\n",
    );
    let e = load_str(&text, "big.yaml").unwrap_err().to_string();
    let lines: Vec<&str> = e.lines().collect();
    assert_eq!(lines.len(), 2, "{e}");
    let policy_line = line_of(&text, "Effect: Maybe");
    assert!(
        lines[0].starts_with(&format!("big.yaml:{policy_line}:")),
        "{}",
        lines[0]
    );
    assert!(lines[0].contains("Maybe"), "{}", lines[0]);
    let state_line = line_of(&text, "state: asleep");
    let state_column = text
        .lines()
        .nth(state_line - 1)
        .unwrap()
        .find("asleep")
        .unwrap()
        + 1;
    assert_eq!(
        lines[1],
        format!("big.yaml:{state_line}:{state_column}: 'asleep' is not an instance state (pending, running, shutting-down, terminated, stopping, stopped)")
    );
}

#[test]
fn a_reading_error_deep_in_a_large_scenario_is_reported_at_its_place() {
    let mut text = many_accounts(150, 40);
    let at = text
        .find("  - id: \"200000000100\"\n")
        .expect("account 100");
    text.insert_str(at, "  - id: \"200000000999\"\n    nmae: typo\n");
    let e = load_str(&text, "big.yaml").unwrap_err();
    assert_eq!(e.problems.len(), 1, "{e}");
    let problem = &e.problems[0];
    assert_eq!(
        (problem.at.line, problem.at.column),
        (u32::try_from(line_of(&text, "nmae: typo")).unwrap(), 5),
        "{e}"
    );
    assert!(problem.message.contains("nmae"), "{e}");
}

#[test]
fn anchors_shared_between_accounts_still_load() {
    let mut text = many_accounts(150, 40);
    // The first account's trust policy is named, and the last account's reuses it.
    let trust = "        trust_policy:\n";
    let first = text.find(trust).expect("first role");
    text.replace_range(first..first + trust.len(), "        trust_policy: &trust\n");
    let last = text.rfind(trust).expect("last role");
    let body_end = text[last..].find("    ec2:\n").expect("its ec2") + last;
    text.replace_range(last..body_end, "        trust_policy: *trust\n");
    let world = load_str(&text, "big.yaml").expect("loads");
    assert_eq!(world.accounts().count(), 150);
    assert!(world.accounts().all(|a| a.roles.contains_key("Reader")));
}
