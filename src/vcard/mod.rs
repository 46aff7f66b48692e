//! vCard 2.1, 3.0 and 4.0 (RFC 6350): reading cards into people, and
//! writing people as cards that phones and mail clients read well.

pub mod parse;
pub mod write;
