//! Writing vCards (see mod.rs).
