//! Configuration loading on arbitrary TOML: parse, check, and build every provider (with an
//! empty environment, so no `*_env` secret resolves). Property: no panic, whatever the input,
//! with errors returned instead.
#![no_main]

use libfuzzer_sys::fuzz_target;
use presign_config::{Config, Environment, Registry};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let env = Environment::from_pairs::<String, String, _>([]);
    let Ok(config) = Config::from_toml_str_with_env(text, env) else {
        return;
    };
    let registry = Registry::from_config(&config);
    let names: Vec<String> = registry.names().map(str::to_owned).collect();
    for name in names {
        if let Ok(entry) = registry.entry(&name) {
            let _ = format!("{entry:?}");
        }
    }
});
