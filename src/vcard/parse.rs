//! Reading vCards (see mod.rs).
