//! The recorder reads an upstream's answer within `Limits::max_body_bytes`:
//! an upstream that never stops sending gets 502 from the proxy, which stops
//! reading once the limit is passed instead of holding the body in memory.

use std::time::Duration;

use dwolla_testkit::recorder::Recorder;
use dwolla_testkit::server::Limits;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::sync::mpsc;

const LIMIT: usize = 64 << 10;

/// An upstream on 127.0.0.1 answering every connection with a chunked body
/// that does not end; says on `closed` when the other side hung up.
async fn endless_upstream(closed: mpsc::Sender<()>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let closed = closed.clone();
            tokio::spawn(async move {
                let mut head = [0u8; 4096];
                let _ = stream.read(&mut head).await;
                let start = "HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ntransfer-encoding: chunked\r\n\r\n";
                if stream.write_all(start.as_bytes()).await.is_err() {
                    return;
                }
                let chunk = format!("4000\r\n{}\r\n", "x".repeat(0x4000));
                while stream.write_all(chunk.as_bytes()).await.is_ok() {}
                let _ = closed.send(()).await;
            });
        }
    });
    format!("http://{address}")
}

#[tokio::test]
async fn an_upstream_body_past_the_limit_gets_502_and_is_not_read_to_its_end() {
    let (closed, mut hung_up) = mpsc::channel(1);
    let upstream = endless_upstream(closed).await;
    let limits = Limits {
        max_body_bytes: LIMIT,
        ..Limits::default()
    };
    let recorder = Recorder::start_with(&upstream, limits).await.unwrap();
    let answer = tokio::time::timeout(
        Duration::from_secs(60),
        reqwest::get(format!("{}/exchanges/x", recorder.base_url())),
    )
    .await
    .expect("the proxy answers instead of reading an endless body")
    .unwrap();
    assert_eq!(answer.status().as_u16(), 502);
    let text = answer.text().await.unwrap();
    assert!(text.contains(&LIMIT.to_string()), "{text}");
    assert!(recorder.exchanges().is_empty(), "nothing recorded");
    // The proxy hung up on the upstream rather than reading on.
    tokio::time::timeout(Duration::from_secs(60), hung_up.recv())
        .await
        .expect("the proxy closes the upstream connection")
        .expect("the upstream saw the close");
}
