//! Checking an attachment before it is stored: size, type by content (not by the name the
//! reporter's computer gave it), a safe file name and the SHA-256 that the audit trail records.

use sha2::{Digest, Sha256};

use crate::errors::FieldError;

/// How much a single report may carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AttachmentLimits {
    pub max_bytes: usize,
    pub max_files: usize,
}

impl Default for AttachmentLimits {
    fn default() -> Self {
        Self {
            max_bytes: 10 * 1024 * 1024,
            max_files: 5,
        }
    }
}

/// An attachment that passed every check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedAttachment {
    /// A file name safe to show and to offer for download.
    pub filename: String,
    pub content_type: &'static str,
    pub size: u64,
    /// Lower-case hex SHA-256 of the content.
    pub sha256: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AttachmentError {
    #[error("the file {filename:?} is empty")]
    Empty { filename: String },
    #[error("the file {filename:?} is larger than {max_bytes} bytes")]
    TooLarge { filename: String, max_bytes: usize },
    #[error("at most {max_files} files may be attached")]
    TooMany { max_files: usize },
    #[error(
        "the file {filename:?} is not of an accepted type (PDF, PNG, JPEG, TXT, EML, CSV, DOCX, XLSX, ODT, ODS)"
    )]
    RefusedType { filename: String },
    #[error("the content of {filename:?} does not match its extension")]
    ContentMismatch { filename: String },
}

impl AttachmentError {
    /// The error as a form field error, in Polish and English.
    pub fn to_field_error(&self) -> FieldError {
        let (code, pl) = match self {
            AttachmentError::Empty { filename } => {
                ("empty", format!("Plik „{filename}” jest pusty."))
            }
            AttachmentError::TooLarge {
                filename,
                max_bytes,
            } => (
                "too_large",
                format!(
                    "Plik „{filename}” jest za duży — najwyżej {} MB.",
                    max_bytes / (1024 * 1024)
                ),
            ),
            AttachmentError::TooMany { max_files } => (
                "too_many",
                format!(
                    "Za dużo plików — do jednego zgłoszenia można dołączyć najwyżej {max_files}."
                ),
            ),
            AttachmentError::RefusedType { filename } => (
                "refused_type",
                format!(
                    "Plik „{filename}” ma niedozwolony typ. Dołącz PDF, zdjęcie (PNG, JPEG), \
                     plik tekstowy, wiadomość e-mail (EML), CSV albo dokument Office/LibreOffice."
                ),
            ),
            AttachmentError::ContentMismatch { filename } => (
                "content_mismatch",
                format!("Zawartość pliku „{filename}” nie zgadza się z jego rozszerzeniem."),
            ),
        };
        FieldError::new("attachments", code, pl, self.to_string())
    }
}

/// What the content must look like for a given extension.
enum Expect {
    Magic(&'static str),
    /// Office documents are ZIP containers; `infer` names the specific format when it can.
    Zip(&'static str),
    Text,
}

fn accepted(extension: &str) -> Option<(Expect, &'static str)> {
    Some(match extension {
        "pdf" => (Expect::Magic("application/pdf"), "application/pdf"),
        "png" => (Expect::Magic("image/png"), "image/png"),
        "jpg" | "jpeg" => (Expect::Magic("image/jpeg"), "image/jpeg"),
        "txt" | "log" => (Expect::Text, "text/plain; charset=utf-8"),
        "csv" => (Expect::Text, "text/csv; charset=utf-8"),
        "eml" => (Expect::Text, "message/rfc822"),
        "docx" => (
            Expect::Zip("application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        "xlsx" => (
            Expect::Zip("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        "odt" => (
            Expect::Zip("application/vnd.oasis.opendocument.text"),
            "application/vnd.oasis.opendocument.text",
        ),
        "ods" => (
            Expect::Zip("application/vnd.oasis.opendocument.spreadsheet"),
            "application/vnd.oasis.opendocument.spreadsheet",
        ),
        _ => return None,
    })
}

/// Checks one file. `index` counts from zero over the report's files.
pub fn check_attachment(
    original_name: &str,
    content: &[u8],
    index: usize,
    limits: AttachmentLimits,
) -> Result<CheckedAttachment, AttachmentError> {
    if index >= limits.max_files {
        return Err(AttachmentError::TooMany {
            max_files: limits.max_files,
        });
    }
    let filename = sanitise_filename(original_name);
    if content.is_empty() {
        return Err(AttachmentError::Empty { filename });
    }
    if content.len() > limits.max_bytes {
        return Err(AttachmentError::TooLarge {
            filename,
            max_bytes: limits.max_bytes,
        });
    }
    let extension = filename
        .rsplit_once('.')
        .map(|(_, ext)| ext.to_ascii_lowercase())
        .unwrap_or_default();
    let Some((expect, content_type)) = accepted(&extension) else {
        return Err(AttachmentError::RefusedType { filename });
    };
    let detected = infer::get(content).map(|t| t.mime_type());
    let matches = match expect {
        Expect::Magic(mime) => detected == Some(mime),
        Expect::Zip(mime) => detected == Some(mime) || detected == Some("application/zip"),
        Expect::Text => detected.is_none() && looks_like_text(content),
    };
    if !matches {
        return Err(AttachmentError::ContentMismatch { filename });
    }
    Ok(CheckedAttachment {
        filename,
        content_type,
        size: content.len() as u64,
        sha256: hex::encode(Sha256::digest(content)),
    })
}

/// Text is UTF-8 (Windows-1250 files are common too, so any byte but NUL and most control
/// characters is tolerated): no NULs, and control characters other than whitespace are rare.
fn looks_like_text(content: &[u8]) -> bool {
    let sample = &content[..content.len().min(64 * 1024)];
    if sample.contains(&0) {
        return false;
    }
    let controls = sample
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0c))
        .count();
    controls * 100 <= sample.len()
}

/// Keeps the last path component, drops control and path characters, caps the length while
/// keeping the extension.
pub fn sanitise_filename(original: &str) -> String {
    let last = original.rsplit(['/', '\\']).next().unwrap_or(original);
    let cleaned: String = last
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '<' | '>' | ':' | '"' | '|' | '?' | '*'))
        .collect();
    let cleaned = cleaned.trim().trim_start_matches('.').to_owned();
    let cleaned = if cleaned.is_empty() {
        "zalacznik".to_owned()
    } else {
        cleaned
    };
    if cleaned.chars().count() <= 120 {
        return cleaned;
    }
    match cleaned.rsplit_once('.') {
        Some((stem, ext)) if ext.chars().count() <= 10 => {
            let stem: String = stem.chars().take(120 - ext.chars().count() - 1).collect();
            format!("{stem}.{ext}")
        }
        _ => cleaned.chars().take(120).collect(),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    const PNG: &[u8] = &[
        0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, b'I', b'H', b'D', b'R',
    ];

    fn check(name: &str, content: &[u8]) -> Result<CheckedAttachment, AttachmentError> {
        check_attachment(name, content, 0, AttachmentLimits::default())
    }

    #[test]
    fn accepted_files_are_hashed_and_typed_by_content() {
        let pdf = check("skan.pdf", b"%PDF-1.7\n...").unwrap();
        assert_eq!(pdf.content_type, "application/pdf");
        assert_eq!(pdf.sha256.len(), 64);
        assert_eq!(check("zrzut.PNG", PNG).unwrap().content_type, "image/png");
        assert!(check("notatka.txt", "Zgubiony pendrive w pokoju 12.".as_bytes()).is_ok());
    }

    #[test]
    fn a_renamed_executable_is_refused() {
        let elf = b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0";
        assert!(matches!(
            check("faktura.pdf", elf),
            Err(AttachmentError::ContentMismatch { .. })
        ));
        assert!(matches!(
            check("faktura.txt", elf),
            Err(AttachmentError::ContentMismatch { .. })
        ));
        assert!(matches!(
            check("program.exe", b"MZ\x90\0"),
            Err(AttachmentError::RefusedType { .. })
        ));
    }

    #[test]
    fn limits_are_enforced() {
        let limits = AttachmentLimits {
            max_bytes: 8,
            max_files: 2,
        };
        assert!(matches!(
            check_attachment("a.txt", b"123456789", 0, limits),
            Err(AttachmentError::TooLarge { .. })
        ));
        assert!(matches!(
            check_attachment("a.txt", b"1", 2, limits),
            Err(AttachmentError::TooMany { .. })
        ));
        assert!(matches!(
            check_attachment("a.txt", b"", 0, limits),
            Err(AttachmentError::Empty { .. })
        ));
    }

    #[test]
    fn file_names_are_made_safe() {
        assert_eq!(
            sanitise_filename("C:\\Users\\jan\\raport.pdf"),
            "raport.pdf"
        );
        assert_eq!(sanitise_filename("../../etc/passwd"), "passwd");
        assert_eq!(sanitise_filename(".htaccess"), "htaccess");
        assert_eq!(sanitise_filename("\u{0}\u{7}"), "zalacznik");
        let long = format!("{}.pdf", "a".repeat(300));
        let safe = sanitise_filename(&long);
        assert_eq!(safe.chars().count(), 120);
        assert!(safe.ends_with(".pdf"));
    }
}
