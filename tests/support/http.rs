//! A tiny HTTP/1.1 client over [`TcpStream`] that sends the request target exactly as given.
//!
//! General-purpose clients normalise paths (`a/./b` → `a/b`, `//` → `/`) or re-encode them,
//! which would hide (or cause) signature mismatches. This one writes the bytes it is given, and
//! only talks to loopback hosts.

use std::io::{Read, Write};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, TcpStream};
use std::time::Duration;

/// A response: status code, headers (names lower-case), body.
#[derive(Debug, Clone)]
pub struct Response {
    /// The status code.
    pub status: u16,
    /// The headers, names lower-cased, in order.
    pub headers: Vec<(String, String)>,
    /// The body (de-chunked).
    pub body: Vec<u8>,
}

impl Response {
    /// The first header named `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The body as text (lossy), shortened to 300 characters for messages.
    pub fn body_snippet(&self) -> String {
        String::from_utf8_lossy(&self.body)
            .chars()
            .take(300)
            .collect()
    }
}

/// A parsed `http://host[:port]` origin plus the raw request target that follows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// The host as written (`127.0.0.1`, `[::1]`, `localhost`).
    pub host: String,
    /// The port.
    pub port: u16,
    /// The request target, exactly as written (`/bucket/a//b?X-Amz-...`).
    pub path_and_query: String,
}

/// Splits an `http://` URL without normalising anything. Refuses https and non-loopback hosts.
pub fn parse_url(url: &str) -> Result<Target, String> {
    let rest = url
        .strip_prefix("http://")
        .ok_or_else(|| format!("only http:// URLs are supported: {url:.80}"))?;
    let (authority, target) = match rest.find('/') {
        Some(i) => rest.split_at(i),
        None => (rest, "/"),
    };
    let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
        let (h, after) = v6
            .split_once(']')
            .ok_or_else(|| format!("bad IPv6 authority {authority}"))?;
        let port = match after.strip_prefix(':') {
            Some(p) => p.parse().map_err(|_| format!("bad port in {authority}"))?,
            None => 80,
        };
        (format!("[{h}]"), port)
    } else {
        match authority.rsplit_once(':') {
            Some((h, p)) => (
                h.to_owned(),
                p.parse().map_err(|_| format!("bad port in {authority}"))?,
            ),
            None => (authority.to_owned(), 80),
        }
    };
    loopback_addr(&host, port)?;
    Ok(Target {
        host,
        port,
        path_and_query: target.to_owned(),
    })
}

/// The socket address of a loopback host; an error for anything else.
pub fn loopback_addr(host: &str, port: u16) -> Result<SocketAddr, String> {
    let ip = match host {
        "localhost" | "127.0.0.1" => IpAddr::V4(Ipv4Addr::LOCALHOST),
        "[::1]" | "::1" => IpAddr::V6(Ipv6Addr::LOCALHOST),
        other => {
            return Err(format!(
                "refusing to connect to {other}: the test client only talks to 127.0.0.1, ::1 or localhost"
            ));
        }
    };
    Ok(SocketAddr::new(ip, port))
}

/// Sends one request to `url` (an `http://` loopback URL). The request target after the
/// authority is sent byte for byte. `Host` and `Content-Length` are added unless `headers`
/// has them; `Connection: close` is always sent.
pub fn send(
    method: &str,
    url: &str,
    headers: &[(String, String)],
    body: &[u8],
) -> Result<Response, String> {
    let t = parse_url(url)?;
    let addr = loopback_addr(&t.host, t.port)?;
    let mut stream = TcpStream::connect_timeout(&addr, Duration::from_secs(5))
        .map_err(|e| format!("connect {addr}: {e}"))?;
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .map_err(|e| e.to_string())?;
    let mut req = format!("{method} {} HTTP/1.1\r\n", t.path_and_query);
    let has = |n: &str| headers.iter().any(|(h, _)| h.eq_ignore_ascii_case(n));
    if !has("host") {
        if t.port == 80 {
            req.push_str(&format!("Host: {}\r\n", t.host));
        } else {
            req.push_str(&format!("Host: {}:{}\r\n", t.host, t.port));
        }
    }
    for (n, v) in headers {
        req.push_str(&format!("{n}: {v}\r\n"));
    }
    if !has("content-length") && (!body.is_empty() || matches!(method, "PUT" | "POST")) {
        req.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    req.push_str("Connection: close\r\n\r\n");
    stream
        .write_all(req.as_bytes())
        .and_then(|()| stream.write_all(body))
        .map_err(|e| format!("write: {e}"))?;
    let mut raw = Vec::new();
    stream
        .read_to_end(&mut raw)
        .map_err(|e| format!("read: {e}"))?;
    parse_response(&raw, method == "HEAD")
}

/// Shorthand for a request without headers or body.
pub fn get(url: &str) -> Result<Response, String> {
    send("GET", url, &[], &[])
}

fn parse_response(raw: &[u8], head: bool) -> Result<Response, String> {
    let end = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| format!("no header end in {} bytes", raw.len()))?;
    let head_text = String::from_utf8_lossy(&raw[..end]);
    let mut lines = head_text.split("\r\n");
    let status_line = lines.next().unwrap_or_default();
    let status: u16 = status_line
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| format!("bad status line {status_line:?}"))?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let rest = &raw[end + 4..];
    let chunked = headers
        .iter()
        .any(|(n, v)| n == "transfer-encoding" && v.eq_ignore_ascii_case("chunked"));
    let body = if head {
        Vec::new()
    } else if chunked {
        dechunk(rest)?
    } else {
        rest.to_vec()
    };
    Ok(Response {
        status,
        headers,
        body,
    })
}

fn dechunk(mut data: &[u8]) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    loop {
        let line_end = data
            .windows(2)
            .position(|w| w == b"\r\n")
            .ok_or("truncated chunk size")?;
        let size_text = String::from_utf8_lossy(&data[..line_end]);
        let size = usize::from_str_radix(size_text.split(';').next().unwrap_or("").trim(), 16)
            .map_err(|_| format!("bad chunk size {size_text:?}"))?;
        data = &data[line_end + 2..];
        if size == 0 {
            return Ok(out);
        }
        let chunk = data.get(..size).ok_or("truncated chunk")?;
        out.extend_from_slice(chunk);
        data = data.get(size + 2..).ok_or("truncated chunk end")?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_target_verbatim_and_refuses_remote_hosts() {
        let t = parse_url("http://127.0.0.1:8333/b/a//./x%2Fy?q=1").unwrap();
        assert_eq!(t.path_and_query, "/b/a//./x%2Fy?q=1");
        assert_eq!(t.port, 8333);
        assert_eq!(parse_url("http://[::1]:9/x").unwrap().host, "[::1]");
        assert_eq!(parse_url("http://localhost/x").unwrap().port, 80);
        assert!(parse_url("http://example.com/x").is_err());
        assert!(parse_url("http://10.0.0.1:80/x").is_err());
        assert!(parse_url("https://127.0.0.1/x").is_err());
    }

    #[test]
    fn parses_chunked() {
        let r = parse_response(
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nX-A: b\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n",
            false,
        )
        .unwrap();
        assert_eq!(r.status, 200);
        assert_eq!(r.body, b"abcde");
        assert_eq!(r.header("x-a"), Some("b"));
    }
}
