use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "documents")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub organisation_id: i64,
    pub case_id: i64,
    pub kind: String,
    pub phase: String,
    pub locale: String,
    pub version: i32,
    #[sea_orm(column_type = "Text")]
    pub fields: String,
    pub created_by: String,
    pub created_at: DateTimeUtc,
    /// `draft` or `sent`.
    pub state: String,
    pub sent_at: Option<DateTimeUtc>,
    pub channel: Option<String>,
    pub reference: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub rendered_text: Option<String>,
    pub sha256: Option<String>,
    pub previous_id: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
