//! The structured pieces fuzz inputs are made of: raw bytes, or words that reach
//! deeper than random bytes would. Changing a type or a word list here changes
//! how every committed corpus file decodes.

use arbitrary::Arbitrary;

/// One piece of a string: a word from a list, a word repeated, or raw text.
#[derive(Arbitrary, Debug)]
pub enum Piece<'a> {
    Word(u8),
    /// A word 0 to 39 times: long runs of commas, spaces, labels.
    Repeat(u8, u8),
    Raw(&'a str),
}

pub const ORIGIN_WORDS: &[&str] = &[
    "https://",
    "http://",
    "HTTPS://",
    "ws://",
    "wss://",
    "chrome-extension://",
    "tauri://",
    "file://",
    "data:",
    "null",
    "*",
    "*.",
    ".",
    ":",
    ":*",
    "/",
    "?",
    "#",
    "@",
    "example.com",
    "example.org",
    "app",
    "dev",
    "localhost",
    "127.0.0.1",
    "127.1",
    "0x7f.1",
    "[::1]",
    "[0:0::1]",
    "[::ffff:127.0.0.1]",
    "com",
    "github.io",
    "co.uk",
    "A",
    "_",
    "-",
    "xn--bcher-kva",
    "bücher",
    ":443",
    ":80",
    ":8080",
    ":0",
    ":080",
    ":65535",
    ":65536",
    ":99999999999",
    " ",
];

pub const TOKEN_WORDS: &[&str] = &[
    "*",
    "GET",
    "PUT",
    "PATCH",
    "patch",
    "DELETE",
    "OPTIONS",
    "CONNECT",
    "trace",
    "content-type",
    "Content-Type",
    "authorization",
    "x-api-key",
    "x-request-id",
    "x-",
    "sec-",
    "proxy-",
    "access-control-allow-",
    "access-control-request-method",
    "access-control-max-age",
    "set-cookie",
    "origin",
    "cookie",
    ",",
    " ",
    "\t",
    ":",
    "\"",
    "é",
    "*,",
    "accept-charset",
    "accept-encoding",
    "access-control-request-headers",
    "access-control-request-private-network",
    "access-control-expose-headers",
    "connection",
    "content-length",
    "cookie2",
    "date",
    "dnt",
    "expect",
    "host",
    "keep-alive",
    "referer",
    "set-cookie2",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "via",
    "x-http-method-override",
];

pub fn join(pieces: &[Piece<'_>], words: &[&str]) -> String {
    pieces
        .iter()
        .map(|p| match p {
            Piece::Word(i) => words[usize::from(*i) % words.len()].to_owned(),
            Piece::Repeat(i, n) => words[usize::from(*i) % words.len()].repeat(usize::from(*n) % 40),
            Piece::Raw(s) => (*s).to_owned(),
        })
        .collect()
}

#[derive(Arbitrary, Debug)]
pub enum Text<'a> {
    Raw(&'a str),
    Pieces(Vec<Piece<'a>>),
}

impl Text<'_> {
    pub fn render(&self, words: &[&str]) -> String {
        match self {
            Text::Raw(s) => (*s).to_owned(),
            Text::Pieces(p) => join(p, words),
        }
    }
}
