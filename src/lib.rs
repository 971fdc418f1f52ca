//! naleving checks the data of a public programme against declarative YAML
//! rules and reports located findings.
//!
//! The pipeline, one module per step: [`project`] reads `naleving.yaml`;
//! [`data`] loads the records with their source lines; [`rule`] loads and
//! validates the rule files, compiling their [`expr`] (CEL) and [`check`]
//! kinds; [`engine`] runs the rules and produces [`finding`]s and
//! [`problem`]s; [`report`] renders them; [`cli`] ties it to the command line.
//! A record's fields are a [`fields::Fields`], read through [`fields::Lookup`].
#![warn(missing_docs)]

pub mod atomic;
pub mod baseline;
pub mod calendar;
pub mod check;
pub mod cli;
pub mod data;
pub mod digest;
pub mod engine;
pub mod expr;
pub mod fields;
pub mod finding;
pub mod plugin;
pub mod problem;
pub mod project;
pub mod read;
pub mod report;
pub mod rule;
pub mod schema;
pub mod sql;
pub mod strict;
pub mod table_schema;
pub mod test_runner;
pub mod text;
pub mod waiver;
pub mod walk;
