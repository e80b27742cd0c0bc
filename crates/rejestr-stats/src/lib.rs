//! The statistics of the register: what an IOD reports to the head of the office and what the
//! register shows on its statistics page.
//!
//! [`compute`] counts the cases reported in a [`Period`] (calendar days in Warsaw) by month,
//! classification, risk, breach type, cause, organisation and unit; judges the PUODO
//! notifications against the 72 elapsed hours of art. 33(1); and measures how long the
//! assessment and the notification took. The result is rendered as Polish sentences
//! ([`yearly_summary`]), CSV ([`to_csv`]) and accessible SVG bar charts ([`charts`],
//! [`bar_chart_svg`]).
//!
//! **Architecture Invariant:** this crate is pure. It knows no storage, no HTTP and no clock:
//! the cases come in as plain [`StatCase`] rows filled by the store, and "now" (the moment a
//! pending notification is judged overdue) is a parameter.

mod csv;
mod input;
pub mod polish;
mod stats;
mod summary;
mod svg;

pub use csv::{BOM, HEADER, field_text, to_csv};
pub use input::{Period, StatCase};
pub use stats::{
    BREACH_TYPES, CAUSES, CLASSIFICATIONS, MonthCount, Notifications, PUODO_DEADLINE, RISKS, Row,
    Statistics, Timing, compute,
};
pub use summary::yearly_summary;
pub use svg::{Chart, ChartOptions, Orientation, bar_chart_svg, charts};
