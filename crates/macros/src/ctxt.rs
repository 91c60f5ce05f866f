//! Collects every error a macro finds, so that the user sees them all at once.

use std::cell::RefCell;

use proc_macro2::TokenStream;

/// Error collector; every spanned error goes here and is rendered as `compile_error!`s.
pub(crate) struct Ctxt {
    errors: RefCell<Option<syn::Error>>,
}

impl Ctxt {
    pub(crate) fn new() -> Self {
        Ctxt {
            errors: RefCell::new(None),
        }
    }

    pub(crate) fn error(&self, tokens: impl quote::ToTokens, message: impl std::fmt::Display) {
        self.push(syn::Error::new_spanned(tokens, message));
    }

    pub(crate) fn push(&self, err: syn::Error) {
        let mut errors = self.errors.borrow_mut();
        match errors.as_mut() {
            Some(e) => e.combine(err),
            None => *errors = Some(err),
        }
    }

    /// `Err` with every collected error, if any.
    pub(crate) fn check(self) -> Result<(), TokenStream> {
        match self.errors.into_inner() {
            Some(e) => Err(e.into_compile_error()),
            None => Ok(()),
        }
    }
}
