//! Renders every document of the fixture case into a directory, as text, HTML and PDF, to look
//! at them (and at an office's overrides): `cargo run -p rejestr-drafting --features pdf
//! --example render -- <outdir> [<template dir>]`.

use std::path::PathBuf;

use rejestr_drafting::{
    DocumentKind, Drafting, Format, Locale, build, fixture_context, fixture_fields,
};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let out = PathBuf::from(
        args.next()
            .ok_or("usage: render <outdir> [<template dir>]")?,
    );
    let overrides = args.next().map(PathBuf::from);
    std::fs::create_dir_all(&out)?;
    let drafting = Drafting::load(overrides.as_deref())?;
    for kind in DocumentKind::all() {
        for locale in Locale::ALL {
            let view = build(
                kind,
                &fixture_context(),
                &fixture_fields(),
                None,
                locale,
                1,
                true,
            );
            let file = |ext: &str| out.join(format!("{}.{}.{ext}", kind.slug(), locale.id()));
            std::fs::write(file("txt"), drafting.render(&view, Format::Text)?)?;
            let html = drafting.render(&view, Format::Html)?;
            std::fs::write(
                file("html"),
                format!(
                    "<!doctype html><meta charset=utf-8><link rel=stylesheet href=\"rejestr.css\">{html}"
                ),
            )?;
            #[cfg(feature = "pdf")]
            std::fs::write(file("pdf"), drafting.pdf(&view)?)?;
        }
    }
    println!("{}", out.display());
    Ok(())
}
