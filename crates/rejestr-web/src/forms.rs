//! Reading the multipart report form into a [`ReportInput`] and its files.

use axum::extract::Multipart;
use axum::extract::multipart::MultipartError;
use rejestr_intake::{
    AttachmentError, AttachmentLimits, FieldErrors, NewReport, OrgIntakePolicy, ReportInput,
    check_attachment, sanitise_filename, validate_report,
};
use rejestr_store::NewAttachment;

/// A file as received, before it is checked.
pub(crate) struct UploadedFile {
    pub name: String,
    pub content: Vec<u8>,
    /// Set when the file was cut off for exceeding the size limit.
    pub too_large: bool,
}

/// Reads the whole form. Files larger than the limit are not buffered beyond it.
pub(crate) async fn read_report_form(
    mut multipart: Multipart,
    limits: AttachmentLimits,
) -> Result<(ReportInput, Vec<UploadedFile>), MultipartError> {
    let mut input = ReportInput::default();
    let mut files = Vec::new();
    while let Some(mut field) = multipart.next_field().await? {
        let name = field.name().unwrap_or_default().to_owned();
        if name == "attachments" {
            let file_name = field.file_name().unwrap_or_default().to_owned();
            let mut content = Vec::new();
            let mut too_large = false;
            while let Some(chunk) = field.chunk().await? {
                if content.len() + chunk.len() > limits.max_bytes {
                    too_large = true;
                    break;
                }
                content.extend_from_slice(&chunk);
            }
            // A file input left empty still sends a nameless, empty part.
            if file_name.is_empty() && content.is_empty() {
                continue;
            }
            files.push(UploadedFile {
                name: file_name,
                content,
                too_large,
            });
            continue;
        }
        let value = field.text().await?;
        let slot = match name.as_str() {
            "source" => &mut input.source,
            "description" => {
                input.description = value;
                continue;
            }
            "data_categories" => {
                input.data_categories.push(value);
                continue;
            }
            "occurred" => &mut input.occurred,
            "occurred_at" => &mut input.occurred_at,
            "occurred_from" => &mut input.occurred_from,
            "occurred_to" => &mut input.occurred_to,
            "discovered_at" => &mut input.discovered_at,
            "location" => &mut input.location,
            "subjects_estimate" => &mut input.subjects_estimate,
            "reporter_name" => &mut input.reporter_name,
            "reporter_email" => &mut input.reporter_email,
            "reporter_phone" => &mut input.reporter_phone,
            "reporter_unit" => &mut input.reporter_unit,
            "processor_name" => &mut input.processor_name,
            "processor_contract" => &mut input.processor_contract,
            "processor_aware_at" => &mut input.processor_aware_at,
            // Unknown fields of a public form are ignored, not an error.
            _ => continue,
        };
        *slot = Some(value);
    }
    Ok((input, files))
}

/// Validates the report and its files together, so that every problem is reported at once.
pub(crate) fn validate_with_files(
    input: &ReportInput,
    files: Vec<UploadedFile>,
    policy: OrgIntakePolicy,
    limits: AttachmentLimits,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(NewReport, Vec<NewAttachment>), FieldErrors> {
    let report = validate_report(input, policy, now);
    let mut errors = match &report {
        Ok(_) => FieldErrors::default(),
        Err(errors) => errors.clone(),
    };
    let mut attachments = Vec::with_capacity(files.len());
    for (index, file) in files.into_iter().enumerate() {
        let checked = if file.too_large {
            Err(AttachmentError::TooLarge {
                filename: sanitise_filename(&file.name),
                max_bytes: limits.max_bytes,
            })
        } else {
            check_attachment(&file.name, &file.content, index, limits)
        };
        match checked {
            Ok(checked) => attachments.push(NewAttachment {
                checked,
                content: file.content,
            }),
            Err(error) => {
                let too_many = matches!(error, AttachmentError::TooMany { .. });
                errors.push(error.to_field_error());
                if too_many {
                    break;
                }
            }
        }
    }
    match report {
        Ok(report) if errors.is_empty() => Ok((report, attachments)),
        _ => Err(errors),
    }
}
