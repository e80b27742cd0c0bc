use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "cases")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub organisation_id: i64,
    pub year: i32,
    pub seq: i32,
    pub state: String,
    pub classification: String,
    pub source: String,
    #[sea_orm(column_type = "Text")]
    pub description: String,
    pub occurred_kind: String,
    pub occurred_from: Option<DateTimeUtc>,
    pub occurred_to: Option<DateTimeUtc>,
    pub discovered_at: DateTimeUtc,
    pub reported_at: DateTimeUtc,
    pub aware_at: DateTimeUtc,
    pub location: Option<String>,
    /// A JSON array of Facts v1 category ids.
    #[sea_orm(column_type = "Text")]
    pub data_categories: String,
    pub subjects_estimate: Option<i32>,
    pub reporter_name: Option<String>,
    pub reporter_email: Option<String>,
    pub reporter_phone: Option<String>,
    pub reporter_unit: Option<String>,
    pub processor_name: Option<String>,
    pub processor_contract: Option<String>,
    pub processor_aware_at: Option<DateTimeUtc>,
    #[sea_orm(unique)]
    pub follow_token_hash: String,
    pub updated_at: DateTimeUtc,
    /// The signed-in user who reported, if any.
    pub reporter_user_id: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
