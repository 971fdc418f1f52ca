//! Integration tests: the real `naleving` binary on the reference data and on
//! broken inputs. One test binary, one module per area.

// Test helpers may fail loudly: a failed helper is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod bad_input;
mod baseline;
mod cel_conformance;
mod check;
mod excel_report;
mod hardening;
mod kinds;
mod layers;
mod legal_time;
mod pack;
mod parquet;
mod pg;
mod phrases;
mod plugin;
mod postgres;
mod postgres_bad;
mod pushdown;
mod reports;
mod sheets;
mod silent;
mod steekproef;
mod support;
mod verify;
mod waivers;
