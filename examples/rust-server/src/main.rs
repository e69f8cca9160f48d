//! A small HTTP/1.1 service on the standard library only: GET / answers with
//! JSON naming the service, GET /health with {"status":"ok"}, anything else
//! with 404. The port comes from PORT (default 8080).

use std::env;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::thread;

fn respond(stream: &mut TcpStream, status: &str, body: &str) -> std::io::Result<()> {
    write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )?;
    stream.flush()
}

fn handle(mut stream: TcpStream) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    // Read the headers up to the blank line; this service takes no request body.
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 || line == "\r\n" || line == "\n" {
            break;
        }
    }
    let mut parts = request_line.split_whitespace();
    let method = parts.next().unwrap_or("");
    let path = parts.next().unwrap_or("");
    match (method, path) {
        ("GET", "/") => respond(
            &mut stream,
            "200 OK",
            concat!("{\"service\":\"rust-server\",\"version\":\"", env!("CARGO_PKG_VERSION"), "\"}"),
        ),
        ("GET", "/health") => respond(&mut stream, "200 OK", "{\"status\":\"ok\"}"),
        ("GET", _) => respond(&mut stream, "404 Not Found", "{\"error\":\"not found\"}"),
        _ => respond(&mut stream, "405 Method Not Allowed", "{\"error\":\"method not allowed\"}"),
    }
}

fn main() {
    let port = env::var("PORT").unwrap_or_else(|_| "8080".to_string());
    let listener = TcpListener::bind(format!("0.0.0.0:{port}")).expect("cannot bind the port");
    println!("rust-server listening on {port}");
    for stream in listener.incoming() {
        match stream {
            Ok(stream) => {
                thread::spawn(move || {
                    if let Err(err) = handle(stream) {
                        eprintln!("connection error: {err}");
                    }
                });
            }
            Err(err) => eprintln!("accept error: {err}"),
        }
    }
}
