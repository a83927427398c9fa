//! The bus runtime of generated workspaces: CloudEvents envelope, publish/subscribe traits
//! and transports. This crate is copied verbatim into every generated workspace.
