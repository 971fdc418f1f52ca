//! `componentize IN OUT`: turns a plugin's core module into a component.
//!
//! IN is either a core module built for wasm32-unknown-unknown with
//! wit-bindgen (which embeds the world's type information in a custom
//! section) or a `.wat` text file holding a module or a component. A core
//! module is encoded into a component with wit-component's
//! `ComponentEncoder` (no WASI adapter: plugins import nothing but `log`);
//! a component is written as is. Used by `plugins/build.sh`.
//!
//! `componentize --tamper IN OUT` copies IN with its last byte changed: the
//! `tampered` test fixture.

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.as_slice() {
        [flag, input, output] if flag == "--tamper" => tamper(input, output),
        [input, output] => componentize(input, output),
        _ => Err("usage: componentize [--tamper] IN OUT".to_owned()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("componentize: {message}");
            ExitCode::FAILURE
        }
    }
}

fn componentize(input: &str, output: &str) -> Result<(), String> {
    let bytes = if input.ends_with(".wat") {
        wat::parse_file(input).map_err(|e| format!("{input}: {e}"))?
    } else {
        std::fs::read(input).map_err(|e| format!("{input}: {e}"))?
    };
    let component = if is_component(&bytes) {
        bytes
    } else {
        wit_component::ComponentEncoder::default()
            .module(&bytes)
            .and_then(|encoder| encoder.validate(true).encode())
            .map_err(|e| format!("{input}: {e:#}"))?
    };
    std::fs::write(output, component).map_err(|e| format!("{output}: {e}"))
}

/// A component's preamble has layer 1 in bytes 6..8; a core module has 0.
fn is_component(bytes: &[u8]) -> bool {
    bytes.len() >= 8 && bytes[..4] == *b"\0asm" && bytes[6..8] == [1, 0]
}

fn tamper(input: &str, output: &str) -> Result<(), String> {
    let mut bytes = std::fs::read(input).map_err(|e| format!("{input}: {e}"))?;
    let last = bytes
        .last_mut()
        .ok_or_else(|| format!("{input}: empty file"))?;
    *last ^= 0x01;
    std::fs::write(output, bytes).map_err(|e| format!("{output}: {e}"))
}
