//! What an import reads: a file (mapped when large) or a vdir's `.vcf` files.

use std::path::{Path, PathBuf};

use super::ImportError;

/// What an import reads: a file's bytes, or a vdir's `.vcf` files (name, bytes).
#[derive(Debug)]
pub enum Source {
    File(Bytes),
    Dir(Vec<(String, Vec<u8>)>),
}

/// A file's bytes: read into memory, or, for a large file, mapped.
#[derive(Debug)]
pub enum Bytes {
    Read(Vec<u8>),
    Mapped(memmap2::Mmap),
}

impl std::ops::Deref for Bytes {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        match self {
            Bytes::Read(v) => v,
            Bytes::Mapped(m) => m,
        }
    }
}

/// From this size on a file is mapped, not read: the parser then reads the
/// system's cached pages of it where they are, where reading copied them
/// into as much fresh memory first (1,000,000 people, 164 MB of CSV: 0.05-0.78
/// s before the parse could start, and memory the system had to zero).
const MAP_FROM: u64 = 1 << 20;

/// Reads a file, mapping it when it is large.
pub fn read_file(path: &Path) -> Result<Bytes, ImportError> {
    let error = read_error(path);
    let mut file = std::fs::File::open(path).map_err(error)?;
    let meta = file.metadata().map_err(error)?;
    if meta.is_file() && meta.len() >= MAP_FROM {
        // SAFETY: the map is read only and private. A program that shortens
        // the file while it is imported makes a read past its new end fault
        // (SIGBUS), as it would for any mapped file; the import writes in
        // one transaction, so the store stays as it was.
        if let Ok(map) = unsafe { memmap2::MmapOptions::new().populate().map(&file) } {
            return Ok(Bytes::Mapped(map));
        }
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    std::io::Read::read_to_end(&mut file, &mut bytes).map_err(error)?;
    Ok(Bytes::Read(bytes))
}

/// Reads a file, or the `.vcf` files of a directory (sorted by name; hidden
/// files and subdirectories are not read).
pub fn read_source(path: &Path) -> Result<Source, ImportError> {
    if !path.is_dir() {
        return read_file(path).map(Source::File);
    }
    let error = read_error(path);
    let mut names: Vec<PathBuf> = Vec::new();
    for entry in std::fs::read_dir(path).map_err(error)? {
        let p = entry.map_err(error)?.path();
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let vcf = p
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| e.eq_ignore_ascii_case("vcf"));
        if vcf && !name.starts_with('.') && p.is_file() {
            names.push(p);
        }
    }
    names.sort();
    let mut files = Vec::with_capacity(names.len());
    for p in names {
        files.push((p.display().to_string(), read(&p)?));
    }
    Ok(Source::Dir(files))
}

/// Reads a vdir's file whole (vCards are small).
fn read(path: &Path) -> Result<Vec<u8>, ImportError> {
    std::fs::read(path).map_err(read_error(path))
}

/// The error for `path` that could not be read, naming it.
fn read_error(path: &Path) -> impl Fn(std::io::Error) -> ImportError + Copy + '_ {
    move |cause| ImportError::Read {
        path: path.display().to_string(),
        cause,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_large_file_is_mapped_a_small_one_read_both_whole() {
        let dir = tempfile::tempdir().unwrap();
        let line = "name,email\n田中 太郎,taro@example.com\n";
        let large: String = line.repeat((MAP_FROM as usize) / line.len() + 1);
        let (big, small) = (dir.path().join("big.csv"), dir.path().join("small.csv"));
        std::fs::write(&big, &large).unwrap();
        std::fs::write(&small, line).unwrap();
        let mapped = read_file(&big).unwrap();
        assert!(matches!(mapped, Bytes::Mapped(_)));
        assert_eq!(&*mapped, large.as_bytes());
        let read = read_file(&small).unwrap();
        assert!(matches!(read, Bytes::Read(_)));
        assert_eq!(&*read, line.as_bytes());
        let missing = read_file(&dir.path().join("none.csv")).unwrap_err();
        assert!(missing.to_string().contains("none.csv"), "{missing}");
    }
}
