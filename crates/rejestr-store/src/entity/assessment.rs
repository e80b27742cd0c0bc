use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "assessments")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub case_id: i64,
    pub organisation_id: i64,
    pub rule_set: String,
    #[sea_orm(column_type = "Text")]
    pub facts: String,
    #[sea_orm(column_type = "Text")]
    pub assessment: String,
    pub engine_classification: String,
    pub engine_risk: String,
    pub engine_notify_sa: bool,
    pub engine_notify_subjects: bool,
    pub final_classification: String,
    pub final_risk: String,
    pub final_notify_sa: bool,
    pub final_notify_subjects: bool,
    #[sea_orm(column_type = "Text", nullable)]
    pub justification: Option<String>,
    pub decided_by: String,
    pub created_at: DateTimeUtc,
    pub engine_notify_controller: bool,
    pub final_notify_controller: bool,
    pub controller_deadline_hours: Option<i32>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
