//! What the quotes of a CSV row say is wrong with it: a quote never closed,
//! a closing quote missing before a later one, text after a closing quote.
//! The csv crate reads all of these without a word; these checks walk the
//! row's raw bytes once and name the line and column.

/// The quoted cells of one record's raw bytes, found in one walk, for every
/// check of its quotes.
pub(super) struct Quotes<'a> {
    raw: &'a [u8],
    delimiter: u8,
    cells: Vec<Quoted>,
}

/// `"abc"def`: a quoted cell with text after its closing quote.
pub(super) struct TextAfter {
    pub field: usize,
    /// The byte of the closing quote.
    pub close: usize,
    /// The cell as written, from its opening quote.
    pub cell: String,
}

impl<'a> Quotes<'a> {
    /// One look for a quote per row; a walk only when there is one.
    pub fn of(raw: &'a [u8], delimiter: u8) -> Quotes<'a> {
        let cells = match memchr::memchr(b'"', raw) {
            Some(_) => quoted_cells(raw, delimiter),
            None => Vec::new(),
        };
        Quotes {
            raw,
            delimiter,
            cells,
        }
    }

    /// The cell whose quote is never closed (it runs to the end of the
    /// file: only the last record can hold one).
    pub fn never_closed(&self) -> Option<&Quoted> {
        self.cells.iter().find(|q| q.close.is_none())
    }

    /// The first quoted cell that runs over a line break, and the byte of
    /// its closing quote: when the row's fields do not add up, a quote
    /// missing at the end of a cell that ran on to the next quote.
    pub fn over_lines(&self) -> Option<(&Quoted, usize)> {
        self.cells.iter().find_map(|q| {
            let c = q.close?;
            memchr::memchr(b'\n', &self.raw[q.open..c]).map(|_| (q, c))
        })
    }

    /// The cells with text after their closing quote, which the csv crate
    /// joins on silently (`abcdef`); usually a quote inside the cell that
    /// was not written twice.
    pub fn text_after_close(&self) -> impl Iterator<Item = TextAfter> + '_ {
        let (raw, delimiter) = (self.raw, self.delimiter);
        self.cells.iter().filter_map(move |q| {
            let c = q.close?;
            let after = raw.get(c + 1).copied();
            if after.is_none_or(|b| b == delimiter || b == b'\r' || b == b'\n') {
                return None;
            }
            let cell_end = memchr::memchr3(delimiter, b'\r', b'\n', &raw[c + 1..])
                .map_or(raw.len(), |k| c + 1 + k);
            Some(TextAfter {
                field: q.field,
                close: c,
                cell: String::from_utf8_lossy(&raw[q.open..cell_end]).into_owned(),
            })
        })
    }
}

/// The problem of a quote never closed, opened at `line` and `column`
/// (characters, from 1).
pub(super) fn never_closed(line: usize, column: usize) -> String {
    format!(
        "the quote opened at line {line} (column {column}) is never closed: a cell in quotes ends with a quote, and a quote inside one is written twice (\"\")"
    )
}

/// Said after "has N fields, the header has M" when a quoted cell ran
/// over lines: where its quote opened and closed.
pub(super) fn missing_quote(open_line: usize, column: &str, close_line: usize) -> String {
    format!(
        " (the quote opened at line {open_line} in {column:?} closes only at line {close_line}: is a quote missing?)"
    )
}

impl TextAfter {
    pub fn message(&self) -> String {
        format!(
            "text after the closing quote in `{}`: a quote inside a cell in quotes is written twice (\"\")",
            self.cell
        )
    }
}

/// A cell of a raw record that starts with a quote: its field, the byte of
/// the opening quote and of the closing one (none: never closed).
pub(super) struct Quoted {
    pub field: usize,
    pub open: usize,
    pub close: Option<usize>,
}

/// The quoted cells of the raw bytes of one record, read as the csv crate
/// reads them: a quote opens a cell only as its first byte, `""` inside is
/// a quote, and a quote elsewhere is text.
fn quoted_cells(raw: &[u8], delimiter: u8) -> Vec<Quoted> {
    let mut found = Vec::new();
    let (mut field, mut i, mut at_start) = (0, 0, true);
    while i < raw.len() {
        let b = raw[i];
        if at_start && b == b'"' {
            let open = i;
            i += 1;
            let close = loop {
                match memchr::memchr(b'"', &raw[i..]) {
                    None => break None,
                    Some(k) if raw.get(i + k + 1) == Some(&b'"') => i += k + 2,
                    Some(k) => {
                        i += k + 1;
                        break Some(i - 1);
                    }
                }
            };
            found.push(Quoted { field, open, close });
            if close.is_none() {
                break;
            }
            at_start = false;
            continue;
        }
        at_start = b == delimiter;
        if at_start {
            field += 1;
        }
        i += 1;
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(raw: &str) -> Vec<(usize, usize, Option<usize>)> {
        Quotes::of(raw.as_bytes(), b',')
            .cells
            .iter()
            .map(|q| (q.field, q.open, q.close))
            .collect()
    }

    /// The one walk finds what each check asks of it.
    #[test]
    fn one_walk_of_a_rows_quotes_serves_every_check() {
        assert!(cells("a,b,c\n").is_empty());
        assert_eq!(
            cells("\"a\",b,\"c\"\"d\"\n"),
            [(0, 0, Some(2)), (2, 6, Some(11))]
        );
        // A quote inside a cell, not at its start, is text.
        assert!(cells("a\"b,c\n").is_empty());
        let q = Quotes::of(b"a,\"open\nb,c", b',');
        assert_eq!(q.never_closed().map(|q| (q.field, q.open)), Some((1, 2)));
        assert!(q.over_lines().is_none());
        assert_eq!(q.text_after_close().count(), 0);
        let raw = "a,\"one\ntwo\",\"x\"tail,\"ok\"\r\n";
        let q = Quotes::of(raw.as_bytes(), b',');
        assert!(q.never_closed().is_none());
        assert_eq!(q.over_lines().map(|(q, c)| (q.field, c)), Some((1, 10)));
        let after: Vec<(usize, usize, String)> = q
            .text_after_close()
            .map(|t| (t.field, t.close, t.cell))
            .collect();
        assert_eq!(after, [(2, 14, "\"x\"tail".to_string())]);
        // Tab-separated: the delimiter ends a cell after its quote.
        let q = Quotes::of(b"\"a\"\t\"b\"c", b'\t');
        let after: Vec<usize> = q.text_after_close().map(|t| t.field).collect();
        assert_eq!(after, [1]);
    }
}
