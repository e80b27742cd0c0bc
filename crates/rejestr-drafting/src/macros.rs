//! `labelled_enum!`: a closed set of choices with a stable id (the stored and serialised form)
//! and a label in both languages.

macro_rules! labelled_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $id:literal, $pl:literal, $en:literal;)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        pub enum $name { $(#[serde(rename = $id)] $variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn id(self) -> &'static str {
                match self { $($name::$variant => $id),+ }
            }

            pub fn label(self) -> $crate::Label {
                match self { $($name::$variant => $crate::Label { pl: $pl, en: $en }),+ }
            }

            pub fn from_id(id: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.id() == id)
            }
        }
    };
}
