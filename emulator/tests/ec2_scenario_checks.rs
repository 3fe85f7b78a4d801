//! Scenario checks for the EC2 inventory: bad ids and broken references are reported at their
//! line and column.

#[test]
fn broken_references_are_reported_where_they_are_written() {
    let text = concat!(
        "accounts:\n",
        "  - id: \"333333333333\"\n",
        "    ec2:\n",
        "      us-east-1:\n",
        "        subnets:\n",
        "          - { id: subnet-0aaa0000000000001, vpc_id: vpc-0bbb0000000000009, cidr_block: 10.0.0.0/24 }\n",
        "        instances:\n",
        "          - { id: i-0aaa0000000000001, subnet_id: subnet-0ccc0000000000009 }\n",
        "          - { id: web-1 }\n",
        "          - { id: i-0aaa0000000000002, availability_zone: us-east-1z }\n",
        "        volumes:\n",
        "          - { id: vol-0aaa0000000000001, attached_to: i-0ddd0000000000009 }\n",
        "        addresses:\n",
        "          - { public_ip: 203.0.113.300 }\n",
    );
    let e = rolecall::scenario::load_str(text, "s.yaml")
        .unwrap_err()
        .to_string();
    for expected in [
        "s.yaml:6:53: no VPC 'vpc-0bbb0000000000009' in us-east-1",
        "s.yaml:8:51: no subnet 'subnet-0ccc0000000000009' in us-east-1",
        "s.yaml:9:19: 'web-1' is not a valid instance id",
        "s.yaml:10:59: 'us-east-1z' is not an Availability Zone of us-east-1",
        "s.yaml:12:55: no instance 'i-0ddd0000000000009' in us-east-1",
        "s.yaml:14:26: '203.0.113.300' is not an IPv4 address",
    ] {
        assert!(e.contains(expected), "missing {expected:?} in:\n{e}");
    }
}
