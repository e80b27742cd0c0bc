use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "obligations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub case_id: i64,
    pub organisation_id: i64,
    pub kind: String,
    /// `pending`, `drafted`, `sent`, `not_required`.
    pub state: String,
    pub start_at: DateTimeUtc,
    pub deadline: DateTimeUtc,
    pub next_step_at: Option<DateTimeUtc>,
    pub sent_at: Option<DateTimeUtc>,
    pub channel: Option<String>,
    pub reference: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub delay_reasons: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub not_required_reason: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// The chosen target in hours of a deadline that has one (the assessment reminder, the
    /// processor's contract); `None` for deadlines fixed by law.
    pub target_hours: Option<i32>,
    /// Steps due up to this instant were decided under an earlier ladder.
    pub decided_until: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
