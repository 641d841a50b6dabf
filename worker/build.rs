//! Stamps the Worker with the version of the intent model the classifier bundles: a SHA-256 prefix
//! of the three artifacts, so every stored verdict says which model made it. The classifier has no
//! model version of its own, and hashing here costs nothing at run time (hashing 1.3 MB of weights
//! in the Worker would, and `include_bytes!` a second time would double them in the wasm).

use sha2::{Digest, Sha256};

const ARTIFACTS: [&str; 3] = [
    "../models/intent/config.json",
    "../models/intent/tokenizer.json",
    "../models/intent/model.safetensors",
];

fn main() {
    let mut hash = Sha256::new();
    for path in ARTIFACTS {
        println!("cargo:rerun-if-changed={path}");
        // A missing artifact fails the classifier's own build (include_bytes!) with a clear
        // message; here it only makes the version say so.
        match std::fs::read(path) {
            Ok(bytes) => {
                hash.update((bytes.len() as u64).to_le_bytes());
                hash.update(&bytes);
            }
            Err(_) => hash.update(b"missing"),
        }
    }
    let digest = hash.finalize();
    let hex: String = digest[..6].iter().map(|b| format!("{b:02x}")).collect();
    println!("cargo:rustc-env=MEDSPA_MODEL_VERSION=sha256:{hex}");
}
