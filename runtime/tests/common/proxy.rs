//! A TCP proxy in front of a broker that can stop forwarding (the broker seems to hang: a
//! request sent now gets no answer) and drop every open connection at once: the effect of a
//! broker restart or a network cut on the clients, without touching the shared server.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::AbortHandle;

pub struct Proxy {
    pub addr: SocketAddr,
    conns: Arc<Mutex<Vec<AbortHandle>>>,
    frozen: watch::Sender<bool>,
    accept: AbortHandle,
}

impl Proxy {
    pub async fn start(upstream: String) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let conns: Arc<Mutex<Vec<AbortHandle>>> = Arc::default();
        let (frozen, _) = watch::channel(false);
        let (c, f) = (Arc::clone(&conns), frozen.clone());
        let accept = tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let upstream = upstream.clone();
                let frozen = f.subscribe();
                let task = tokio::spawn(async move {
                    if let Ok(server) = TcpStream::connect(&upstream).await {
                        let (client_read, client_write) = client.into_split();
                        let (server_read, server_write) = server.into_split();
                        tokio::join!(
                            forward(client_read, server_write, frozen.clone()),
                            forward(server_read, client_write, frozen),
                        );
                    }
                });
                c.lock().unwrap().push(task.abort_handle());
            }
        })
        .abort_handle();
        Self {
            addr,
            conns,
            frozen,
            accept,
        }
    }

    /// Stops forwarding in both directions: bytes read from now on are held back, so nothing
    /// sent after this call gets an answer until [`Proxy::cut`].
    pub fn freeze(&self) {
        self.frozen.send_replace(true);
    }

    /// Closes every connection open through the proxy (what they held back is lost) and
    /// forwards again on the new ones; returns how many were open.
    pub fn cut(&self) -> usize {
        let mut conns = self.conns.lock().unwrap();
        let n = conns.iter().filter(|c| !c.is_finished()).count();
        for c in conns.drain(..) {
            c.abort();
        }
        self.frozen.send_replace(false);
        n
    }
}

/// Copies `from` to `to`, holding each chunk while the proxy is frozen.
async fn forward(
    mut from: impl AsyncRead + Unpin,
    mut to: impl AsyncWrite + Unpin,
    mut frozen: watch::Receiver<bool>,
) {
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = match from.read(&mut buf).await {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        if frozen.wait_for(|f| !f).await.is_err() || to.write_all(&buf[..n]).await.is_err() {
            break;
        }
    }
    let _ = to.shutdown().await;
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.accept.abort();
        self.cut();
    }
}
