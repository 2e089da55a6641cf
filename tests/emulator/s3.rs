//! The S3 column of the emulator scenario table, against SeaweedFS (`weed mini`, started by
//! `bash .ci/emulators/seaweedfs.sh start` or `bash .ci/test`): http://127.0.0.1:8333
//! (`PRESIGN_S3_ENDPOINT`), bucket `presign-test`, path addressing, region us-east-1.

use presign_core::SyncPresigner;
use presign_core::{PresignRequest, PresignedRequest, Presigner, Timestamp};
use presign_s3::S3Presigner;
use presign_tests::basic_time::basic_to_rfc3339;
use presign_tests::scenarios::{Column, run_table};
use presign_tests::seaweedfs::{self, presigner};

struct S3Column {
    presigner: S3Presigner,
    wrong_token: S3Presigner,
}

impl S3Column {
    fn new(endpoint: &str) -> Self {
        S3Column {
            presigner: presigner(endpoint, seaweedfs::credentials()),
            // A made-up session token on valid long-term keys must be refused (SeaweedFS's STS
            // only honours the session tokens it issued; see s3_sts.rs).
            wrong_token: presigner(
                endpoint,
                seaweedfs::credentials()
                    .with_session_token("FwoGZXIvYXdzEMadeUpSessionTokenForTheScenarioTable"),
            ),
        }
    }
}

/// `20260102T030405Z` → timestamp.
fn parse_amz_date(s: &str) -> Option<Timestamp> {
    Timestamp::parse_rfc3339(&basic_to_rfc3339(s)?).ok()
}

fn param<'a>(url: &'a str, name: &str) -> Option<&'a str> {
    url.split_once('?')?
        .1
        .split('&')
        .find_map(|p| p.strip_prefix(name)?.strip_prefix('='))
}

impl Column for S3Column {
    fn signs_dot_segments(&self) -> bool {
        false
    }

    fn name(&self) -> String {
        "s3 (SeaweedFS)".into()
    }

    fn presigner(&self) -> &dyn Presigner {
        &self.presigner
    }

    fn presigner_with_wrong_token(&self) -> Option<&dyn Presigner> {
        Some(&self.wrong_token)
    }

    fn signature_param(&self) -> &str {
        "X-Amz-Signature"
    }

    fn expiry_param(&self) -> &str {
        "X-Amz-Expires"
    }

    fn key_quirk(&self, key: &str) -> Option<String> {
        if key.split('/').any(|s| s == "." || s == "..") {
            Some("SeaweedFS refuses keys with . or .. segments (400)".into())
        } else if key.contains("//") {
            Some("SeaweedFS stores a//b as a/b".into())
        } else if key.ends_with('/') {
            Some("SeaweedFS stores a key ending in / as a directory marker".into())
        } else if key.split('/').any(|s| s.len() > 255) {
            Some("SeaweedFS refuses path segments over 255 bytes".into())
        } else {
            None
        }
    }

    fn verify_offline(
        &self,
        request: &PresignRequest,
        signed: &PresignedRequest,
    ) -> Result<(), String> {
        let url = signed.expose_url();
        let date = param(url, "X-Amz-Date").ok_or("no X-Amz-Date")?;
        let time = parse_amz_date(date).ok_or_else(|| format!("bad X-Amz-Date {date}"))?;
        let again = self
            .presigner
            .presign_sync(&request.clone().signed_at(time))
            .map_err(|e| e.to_string())?;
        let want = param(again.expose_url(), "X-Amz-Signature");
        if want.is_some() && want == param(url, "X-Amz-Signature") && again.expose_url() == url {
            Ok(())
        } else {
            Err("re-signing at the URL's own X-Amz-Date gives another URL".into())
        }
    }
}

#[test]
fn s3_scenarios_against_seaweedfs() {
    let Some(endpoint) = seaweedfs::endpoint() else {
        return;
    };
    let column = S3Column::new(&endpoint);
    let prefix = format!("scenarios/{}/", Timestamp::now().unix());
    let summary = run_table(&column, &prefix);
    summary.assert_all_passed();
    assert_eq!(summary.not_judged(), 0, "{summary}");
}

/// S3-only scenarios: constraints and methods the provider-generic table does not cover.
mod s3_extras {
    use super::*;
    use presign_core::{Constraints, Method, ObjectKey};
    use presign_tests::http::{self, Response};
    use std::time::Duration;

    fn sign(p: &S3Presigner, method: Method, key: &str, c: Constraints) -> PresignedRequest {
        p.presign_sync(
            &PresignRequest::new(method, ObjectKey::new(key).unwrap())
                .with_ttl(Duration::from_secs(300))
                .with_constraints(c),
        )
        .unwrap()
    }

    fn send(method: Method, s: &PresignedRequest, body: &[u8]) -> Response {
        http::send(method.as_str(), s.expose_url(), s.headers(), body).unwrap()
    }

    fn query(pairs: &[(&str, &str)]) -> Constraints {
        let mut c = Constraints::default();
        c.query = pairs
            .iter()
            .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
            .collect();
        c
    }

    fn between<'a>(text: &'a str, open: &str, close: &str) -> Option<&'a str> {
        let start = text.find(open)? + open.len();
        let len = text.get(start..)?.find(close)?;
        text.get(start..start + len)
    }

    /// Returns (name, passed, detail) per scenario.
    pub(super) fn run(
        p: &S3Presigner,
        prefix: &str,
    ) -> Vec<(&'static str, Result<(), String>, String)> {
        let mut out = Vec::new();
        let key = format!("{prefix}extras/meta.txt");

        // Metadata and HEAD.
        let mut c = Constraints::default();
        c.metadata = vec![("owner".into(), "alice".into())];
        let put = send(Method::Put, &sign(p, Method::Put, &key, c), b"meta");
        let head = send(
            Method::Head,
            &sign(p, Method::Head, &key, Constraints::default()),
            b"",
        );
        let got = head
            .header("x-amz-meta-owner")
            .unwrap_or_default()
            .to_owned();
        out.push((
            "metadata signed into the PUT comes back on HEAD",
            if put.status == 200 && head.status == 200 && got == "alice" {
                Ok(())
            } else {
                Err(format!(
                    "PUT {}, HEAD {}, x-amz-meta-owner {got:?}",
                    put.status, head.status
                ))
            },
            format!(
                "PUT {} / HEAD {} x-amz-meta-owner: {got}",
                put.status, head.status
            ),
        ));

        // Metadata is bound: a PUT that sends another value is refused.
        let mut c = Constraints::default();
        c.metadata = vec![("owner".into(), "alice".into())];
        let s = sign(p, Method::Put, &key, c);
        let r = http::send(
            "PUT",
            s.expose_url(),
            &[("x-amz-meta-owner".to_owned(), "mallory".to_owned())],
            b"meta",
        )
        .unwrap();
        out.push((
            "changed metadata value refused",
            if r.status == 403 {
                Ok(())
            } else {
                Err(format!("got {}", r.status))
            },
            format!("PUT with x-amz-meta-owner: mallory: {}", r.status),
        ));

        // Multipart upload: POST ?uploads, PUT ?partNumber&uploadId, POST ?uploadId.
        let mp_key = format!("{prefix}extras/multi part.bin");
        let init = send(
            Method::Post,
            &sign(p, Method::Post, &mp_key, query(&[("uploads", "")])),
            b"",
        );
        let init_body = String::from_utf8_lossy(&init.body).into_owned();
        let result = (|| -> Result<String, String> {
            let upload_id = between(&init_body, "<UploadId>", "</UploadId>")
                .ok_or_else(|| format!("initiate: {} {init_body:.200}", init.status))?
                .to_owned();
            let part_body = b"part one of a presigned multipart upload";
            let part = send(
                Method::Put,
                &sign(
                    p,
                    Method::Put,
                    &mp_key,
                    query(&[("partNumber", "1"), ("uploadId", &upload_id)]),
                ),
                part_body,
            );
            let etag = part
                .header("etag")
                .ok_or_else(|| format!("part: {} {}", part.status, part.body_snippet()))?
                .to_owned();
            let complete_xml = format!(
                "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>{etag}</ETag></Part></CompleteMultipartUpload>"
            );
            let done = send(
                Method::Post,
                &sign(p, Method::Post, &mp_key, query(&[("uploadId", &upload_id)])),
                complete_xml.as_bytes(),
            );
            if done.status != 200 {
                return Err(format!("complete: {} {}", done.status, done.body_snippet()));
            }
            let get = send(
                Method::Get,
                &sign(p, Method::Get, &mp_key, Constraints::default()),
                b"",
            );
            if get.status != 200 || get.body != part_body {
                return Err(format!("GET: {} {}", get.status, get.body_snippet()));
            }
            Ok(format!(
                "initiate {} / part {} / complete {} / GET {}",
                init.status, part.status, done.status, get.status
            ))
        })();
        out.push(match result {
            Ok(d) => (
                "multipart upload through presigned POST/PUT/POST",
                Ok(()),
                d,
            ),
            Err(e) => (
                "multipart upload through presigned POST/PUT/POST",
                Err(e.clone()),
                e,
            ),
        });

        // Create-only: If-None-Match: * is signed; a second upload must not overwrite.
        let once = format!("{prefix}extras/create-only.txt");
        let mut c = Constraints::default();
        c.create_only = true;
        let s = sign(p, Method::Put, &once, c);
        let first = send(Method::Put, &s, b"first");
        let second = send(Method::Put, &s, b"second");
        let stripped = http::send("PUT", s.expose_url(), &[], b"third").unwrap();
        out.push((
            "create-only PUT does not overwrite",
            if first.status == 200 && second.status == 412 && stripped.status == 403 {
                Ok(())
            } else {
                Err(format!(
                    "first {}, second {} (want 412), without If-None-Match {} (want 403)",
                    first.status, second.status, stripped.status
                ))
            },
            format!(
                "first PUT {} / second PUT {} / PUT without the signed If-None-Match {}",
                first.status, second.status, stripped.status
            ),
        ));

        // DELETE, then the object is gone.
        let del = send(
            Method::Delete,
            &sign(p, Method::Delete, &key, Constraints::default()),
            b"",
        );
        let after = send(
            Method::Get,
            &sign(p, Method::Get, &key, Constraints::default()),
            b"",
        );
        out.push((
            "presigned DELETE removes the object",
            if (200..300).contains(&del.status) && after.status == 404 {
                Ok(())
            } else {
                Err(format!("DELETE {}, GET after {}", del.status, after.status))
            },
            format!("DELETE {} / GET after {}", del.status, after.status),
        ));

        // A DELETE URL does not allow a GET.
        let s = sign(p, Method::Delete, &mp_key, Constraints::default());
        let r = http::send("GET", s.expose_url(), &[], b"").unwrap();
        out.push((
            "DELETE URL used for GET refused",
            if r.status == 403 {
                Ok(())
            } else {
                Err(format!("got {}", r.status))
            },
            format!("GET with a DELETE URL: {}", r.status),
        ));
        out
    }
}

#[test]
fn s3_extra_scenarios_against_seaweedfs() {
    let Some(endpoint) = seaweedfs::endpoint() else {
        return;
    };
    let column = S3Column::new(&endpoint);
    let prefix = format!("scenarios-extra/{}/", Timestamp::now().unix());
    let results = s3_extras::run(&column.presigner, &prefix);
    let mut failed = Vec::new();
    for (name, verdict, detail) in &results {
        match verdict {
            Ok(()) => println!("[s3 extras] ok   {name}: {detail}"),
            Err(e) => {
                println!("[s3 extras] FAIL {name}: {detail} -- {e}");
                failed.push(*name);
            }
        }
    }
    println!(
        "s3 extras (SeaweedFS): {} passed, {} failed",
        results.len() - failed.len(),
        failed.len()
    );
    assert!(failed.is_empty(), "failed: {failed:?}");
}
