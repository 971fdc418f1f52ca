//! naleving plugin `afwegingskader`: checks meldcode dossiers against the five
//! afwegingsvragen of the verbeterde meldcode (BRIEF §1.3): questions 1 to 4
//! and the decision (`onderdeel: besluit`, the default), or the follow-up of
//! question 5 after help (`onderdeel: opvolging`).
//!
//! The logic lives in [`kader`], plain Rust tested natively; this file only
//! binds it to the `naleving:plugin/checker` world (`plugins/wit/world.wit`)
//! when built for wasm32.

pub mod kader;

#[cfg(target_arch = "wasm32")]
mod bindings {
    wit_bindgen::generate!({ world: "checker", path: "../wit" });

    use crate::kader;

    struct Afwegingskader;

    impl Guest for Afwegingskader {
        fn info() -> PluginInfo {
            PluginInfo {
                name: "afwegingskader".to_owned(),
                version: env!("CARGO_PKG_VERSION").to_owned(),
                description: "controleert of meldcode-dossiers het afwegingskader volgen \
                              (onderdeel besluit: vraag 1 tot en met 4, afsluiten, verplichte \
                              melding; onderdeel opvolging: vraag 5, evaluatie van de hulp, \
                              opnieuw melden of monitoring)"
                    .to_owned(),
            }
        }

        fn check(
            records: Vec<String>,
            params: String,
            as_of: String,
        ) -> Result<Vec<Finding>, String> {
            let findings = kader::check(&records, &params, &as_of)?;
            Ok(findings
                .into_iter()
                .map(|f| Finding {
                    index: f.index,
                    field: f.field,
                    message: f.message,
                    details: f.details,
                })
                .collect())
        }
    }

    export!(Afwegingskader);
}
