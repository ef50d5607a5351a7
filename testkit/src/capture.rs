//! Reading requests raw, as the client's tests inspect them: request line,
//! headers (lower-cased names, in arrival order) and body; and writing a
//! plain HTTP/1.1 answer.

use tokio::io::AsyncReadExt;

/// One request as it arrived: request line, headers (lower-cased names, in
/// arrival order) and body.
#[derive(Debug, Clone)]
pub struct Captured {
    /// The method, as sent.
    pub method: String,
    /// The request target (path and query), as sent.
    pub target: String,
    /// Headers by lower-cased name, in arrival order.
    pub headers: Vec<(String, String)>,
    /// The body as text.
    pub body: String,
}

impl Captured {
    /// The first header named `name` (lower case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Every header name, sorted.
    pub fn header_names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self.headers.iter().map(|(n, _)| n.as_str()).collect();
        names.sort_unstable();
        names
    }
}

/// Reads one request (head, then `content-length` bytes of body); `None`
/// when the connection closes first or the request is not UTF-8.
pub async fn read_request(stream: &mut tokio::net::TcpStream) -> Option<Captured> {
    let mut raw = Vec::new();
    let mut buffer = [0u8; 4096];
    let head_end = loop {
        let read = stream.read(&mut buffer).await.ok()?;
        if read == 0 {
            return None;
        }
        raw.extend_from_slice(&buffer[..read]);
        if let Some(end) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
            break end;
        }
    };
    let head = String::from_utf8(raw[..head_end].to_vec()).ok()?;
    let mut lines = head.split("\r\n");
    let mut request_line = lines.next()?.split(' ');
    let method = request_line.next()?.to_string();
    let target = request_line.next()?.to_string();
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_string()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = raw[head_end + 4..].to_vec();
    while body.len() < length {
        let read = stream.read(&mut buffer).await.ok()?;
        if read == 0 {
            break;
        }
        body.extend_from_slice(&buffer[..read]);
    }
    Some(Captured {
        method,
        target,
        headers,
        body: String::from_utf8(body).ok()?,
    })
}

/// A complete HTTP/1.1 answer that closes the connection: `status` is the
/// status line's rest (`"200 OK"`).
pub fn http(status: &str, headers: &[(&str, &str)], body: &str) -> String {
    let mut response = format!(
        "HTTP/1.1 {status}\r\nconnection: close\r\ncontent-length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        response.push_str(&format!("{name}: {value}\r\n"));
    }
    response.push_str("\r\n");
    response.push_str(body);
    response
}
