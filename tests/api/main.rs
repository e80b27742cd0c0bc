//! Integration tests: the real router on a random port, a fresh database per test.
//!
//! `TEST_DATABASE_URL` unset: a temporary SQLite file. `TEST_DATABASE_URL=postgres://…`: a
//! fresh schema in that database. `.ci/run` runs the suite both ways.

mod helpers;

mod api_register;
mod assessment;
mod audit;
mod casework;
mod cli;
mod controller;
mod digest;
mod dispatch;
mod documents;
mod escalation;
mod intake_api;
mod intake_form;
mod letters;
mod misp;
mod notices;
mod ops;
mod register;
mod scheduler;
mod second_factor;
mod sharing;
mod webhooks;
