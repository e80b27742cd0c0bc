use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "organisations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub slug: String,
    pub name: String,
    pub unit_type: String,
    pub regon: Option<String>,
    pub address: String,
    pub iod_name: String,
    pub iod_email: String,
    pub iod_phone: Option<String>,
    pub ksc_status: String,
    pub csirt: Option<String>,
    pub allow_anonymous: bool,
    pub created_at: DateTimeUtc,
    pub require_second_factor: bool,
    pub webhook_url: Option<String>,
    pub escalation_rungs: String,
    pub escalation_overdue_days: i32,
    pub assess_reminder_hours: i32,
    pub webhook_secret: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
