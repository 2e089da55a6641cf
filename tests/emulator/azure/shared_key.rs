//! SharedKey-authorized requests on the test container, for setup only (creating it, setting
//! its stored access policies): what an administrator does with the account key, independent of
//! presign.

use base64::Engine as _;
use presign_core::Timestamp;
use presign_core::crypto::hmac_sha256;
use presign_tests::http::{self, Response};

use super::{ACCOUNT, CONTAINER, KEY};

/// The x-ms-version of the SharedKey setup requests (one Azurite knows).
const SETUP_API_VERSION: &str = "2021-08-06";

/// RFC 1123 date for x-ms-date.
fn http_date(t: Timestamp) -> String {
    const DAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let c = t.civil();
    format!(
        "{}, {:02} {} {} {:02}:{:02}:{:02} GMT",
        DAYS[((t.unix_day() + 4).rem_euclid(7)) as usize],
        c.day,
        MONTHS[c.month as usize - 1],
        c.year,
        c.hour,
        c.minute,
        c.second
    )
}

/// A SharedKey-authorized request on the container (`restype=container` plus `extra` query
/// parameters), for test setup only.
pub(crate) fn container_request(
    endpoint: &str,
    method: &str,
    extra: &[(&str, &str)],
    body: &[u8],
) -> Response {
    let date = http_date(Timestamp::now());
    let length = if body.is_empty() {
        String::new()
    } else {
        body.len().to_string()
    };
    let mut params: Vec<(&str, &str)> = vec![("restype", "container")];
    params.extend_from_slice(extra);
    params.sort();
    let mut resource = format!("/{ACCOUNT}/{ACCOUNT}/{CONTAINER}");
    for (k, v) in &params {
        resource.push_str(&format!("\n{k}:{v}"));
    }
    let sts = format!(
        "{method}\n\n\n{length}\n\n\n\n\n\n\n\n\nx-ms-date:{date}\nx-ms-version:{SETUP_API_VERSION}\n{resource}"
    );
    let b64 = base64::engine::general_purpose::STANDARD;
    let sig = b64.encode(hmac_sha256(&b64.decode(KEY).unwrap(), sts.as_bytes()));
    let query: Vec<String> = params.iter().map(|(k, v)| format!("{k}={v}")).collect();
    let url = format!("{endpoint}/{CONTAINER}?{}", query.join("&"));
    let headers = vec![
        ("x-ms-date".to_owned(), date),
        ("x-ms-version".to_owned(), SETUP_API_VERSION.to_owned()),
        (
            "Authorization".to_owned(),
            format!("SharedKey {ACCOUNT}:{sig}"),
        ),
    ];
    http::send(method, &url, &headers, body).unwrap()
}
