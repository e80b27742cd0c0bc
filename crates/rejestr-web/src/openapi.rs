//! The OpenAPI document of the JSON API, derived from the handlers and their body types and
//! served at `/api/v1/openapi.json`.

use axum::Json;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::{api, api_register, assessment, health};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Rejestr72 API",
        description = "Reporting incidents and working with the register of security incidents and personal-data breaches. \
                       Reporting needs no account; the register needs a personal API token (Authorization: Bearer r72_…), \
                       created on the account page or with `rejestr token create`. Error messages for people are in Polish (`message_pl`)."
    ),
    paths(
        api::create_report,
        assessment::api_assess,
        api_register::organisations,
        api_register::list_cases,
        api_register::get_case,
        api_register::change_state,
        api_register::add_note,
        health::health,
        health::live,
        health::ready,
    ),
    modifiers(&BearerToken),
    tags(
        (name = "reporting", description = "Reporting incidents and breaches"),
        (name = "register", description = "The register of an organisation"),
        (name = "assessment", description = "The risk-assessment engine"),
        (name = "operations", description = "Health and readiness probes"),
    )
)]
pub(crate) struct ApiDoc;

struct BearerToken;

impl Modify for BearerToken {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "token",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("A personal API token, r72_ followed by 64 hex digits"))
                    .build(),
            ),
        );
    }
}

pub(crate) async fn document() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_api_route_is_documented() {
        let doc = ApiDoc::openapi();
        let paths: Vec<&str> = doc.paths.paths.keys().map(String::as_str).collect();
        for expected in [
            "/api/v1/reports",
            "/api/v1/organisations",
            "/api/v1/organisations/{org}/cases",
            "/api/v1/organisations/{org}/cases/{year}/{seq}",
            "/api/v1/organisations/{org}/cases/{year}/{seq}/state",
            "/api/v1/organisations/{org}/cases/{year}/{seq}/notes",
            "/health",
            "/healthz/live",
            "/healthz/ready",
        ] {
            assert!(
                paths.contains(&expected),
                "{expected} is missing from {paths:?}"
            );
        }
        let schemas = doc.components.map(|c| c.schemas).unwrap_or_default();
        assert!(schemas.contains_key("ApiReport") && schemas.contains_key("ErrorBody"));
    }
}
