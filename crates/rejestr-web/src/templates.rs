//! Handlebars pages and static files, embedded in the binary from `templates/`.

use handlebars::Handlebars;
use rust_embed::RustEmbed;
use serde::Serialize;

#[derive(RustEmbed)]
#[folder = "../../templates/pages/"]
#[prefix = "pages/"]
#[include = "*.hbs"]
struct PageSources;

#[derive(RustEmbed)]
#[folder = "../../templates/static/"]
pub(crate) struct StaticFiles;

#[derive(Debug, thiserror::Error)]
#[error("cannot load the page templates: {0}")]
pub struct TemplateLoadError(#[from] Box<handlebars::TemplateError>);

/// The page renderer. Templates are compiled once at start; a broken template stops start-up
/// instead of failing a request.
pub struct Templates {
    registry: Handlebars<'static>,
}

impl Templates {
    pub fn load() -> Result<Self, TemplateLoadError> {
        let mut registry = Handlebars::new();
        registry.set_dev_mode(false);
        registry
            .register_embed_templates_with_extension::<PageSources>(".hbs")
            .map_err(Box::new)?;
        Ok(Self { registry })
    }

    pub fn render(
        &self,
        name: &str,
        data: &impl Serialize,
    ) -> Result<String, handlebars::RenderError> {
        self.registry.render(name, data)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_page_template_compiles_and_renders() -> Result<(), Box<dyn std::error::Error>> {
        let templates = Templates::load()?;
        let html = templates.render(
            "pages/error",
            &serde_json::json!({"title": "Nie znaleziono", "message": "Brak strony."}),
        )?;
        assert!(html.contains("<html lang=\"pl\">"));
        assert!(html.contains("Brak strony."));
        Ok(())
    }
}
