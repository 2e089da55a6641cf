use super::*;

#[test]
fn validation_names_the_field() {
    let cases = [
        (
            PostPolicyRequest::starts_with("a").content_length_range(5, 4),
            "content_length_range",
        ),
        (
            PostPolicyRequest::starts_with("a").success_action_status(302),
            "success_action_status",
        ),
        (
            PostPolicyRequest::starts_with("a").metadata("own er", "x"),
            "metadata",
        ),
        (
            PostPolicyRequest::starts_with("a")
                .metadata("Owner", "x")
                .metadata("owner", "y"),
            "twice",
        ),
        (
            PostPolicyRequest::starts_with("a")
                .metadata("o", "x")
                .metadata("o", "y"),
            "twice",
        ),
        (
            PostPolicyRequest::starts_with("a").content_type("a\nb"),
            "content_type",
        ),
        (PostPolicyRequest::starts_with("a\u{0}"), "key prefix"),
        (PostPolicyRequest::starts_with("k".repeat(5000)), "longer"),
    ];
    for (req, want) in cases {
        let e = req.validate().unwrap_err().to_string();
        assert!(e.contains(want), "{want}: {e}");
    }
    PostPolicyRequest::exact(ObjectKey::new("a b").unwrap())
        .metadata("owner-id", "\u{e9}")
        .success_action_status(201)
        .validate()
        .unwrap();
    PostPolicyRequest::starts_with("").validate().unwrap();
}

#[test]
fn extra_conditions_cannot_touch_reserved_fields() {
    for (c, want) in [
        (Condition::starts_with("key", ""), "cannot be an extra"),
        (Condition::eq("Bucket", "other"), "cannot be an extra"),
        (Condition::eq("policy", "x"), "cannot be an extra"),
        (Condition::eq("x-goog-signature", "x"), "cannot be an extra"),
        (Condition::eq("X-Amz-Credential", "x"), "cannot be an extra"),
        (Condition::eq("a b", "x"), "field name"),
        (Condition::eq("", "x"), "field name"),
        (Condition::eq("acl", "a\nb"), "control"),
        (
            Condition::ContentLengthRange { min: 0, max: 1 },
            "content_length_range",
        ),
    ] {
        let e = PostPolicyRequest::starts_with("a/")
            .condition(c)
            .validate()
            .unwrap_err()
            .to_string();
        assert!(e.contains(want), "{want}: {e}");
    }
    PostPolicyRequest::starts_with("a/")
        .condition(Condition::eq("x-goog-meta-a", "b"))
        .condition(Condition::starts_with("x-amz-meta-c", ""))
        .validate()
        .unwrap();
    let e = PostPolicyRequest::starts_with("a/")
        .content_encoding("a\u{1}")
        .validate()
        .unwrap_err()
        .to_string();
    assert!(e.contains("content_encoding"), "{e}");
}

#[test]
fn filename_keys_are_prefixes_and_metadata_names_lower_case() {
    // An exact key ending in ${filename} is that prefix; mixed-case metadata is lower-cased.
    let r = PostPolicyRequest::exact(ObjectKey::new("up/a-${filename}").unwrap())
        .metadata("Owner-ID", "1");
    assert_eq!(r.key, KeyCondition::StartsWith("up/a-".into()));
    assert_eq!(r.metadata, vec![("owner-id".to_owned(), "1".to_owned())]);
    r.validate().unwrap();
}
