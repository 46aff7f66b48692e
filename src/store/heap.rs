//! SQLite's own memory while a large import writes. SQLite allocates with
//! the C library's `malloc`, not with the binary's allocator, and building
//! an index sorts its keys in runs of one page cache's size (16 MiB): each
//! run is a fresh buffer, handed to the sorter's thread and freed there.
//! glibc maps a buffer that large on its own and unmaps it on free, so every
//! run was faulted in again, page by page, as zeroed memory: at 1,000,000
//! people 2.5-3.7 s of system time in one import (3 interleaved runs, wall
//! 8.1-8.6 s; with the buffers kept in the heap 0.8-1.0 s of system time,
//! wall 6.1-6.4 s).

/// While alive, large blocks come from the heap and freed memory stays
/// there; dropped, the usual thresholds return and the freed memory goes
/// back to the system (the address book runs on after an import).
pub struct BulkHeap(());

impl BulkHeap {
    /// Above the sorter's 16 MiB runs (glibc's ceiling for the threshold
    /// is 32 MiB on 64-bit systems).
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    const MMAP_THRESHOLD: libc::c_int = 32 << 20;
    /// glibc's defaults for both thresholds.
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    const DEFAULT_THRESHOLD: libc::c_int = 128 << 10;

    pub fn new() -> BulkHeap {
        #[cfg(all(target_os = "linux", target_env = "gnu"))]
        // SAFETY: mallopt takes no pointers; a value it refuses is ignored.
        unsafe {
            libc::mallopt(libc::M_MMAP_THRESHOLD, Self::MMAP_THRESHOLD);
            libc::mallopt(libc::M_TRIM_THRESHOLD, libc::c_int::MAX);
        }
        BulkHeap(())
    }
}

impl Default for BulkHeap {
    fn default() -> Self {
        Self::new()
    }
}

impl Drop for BulkHeap {
    fn drop(&mut self) {
        #[cfg(all(target_os = "linux", target_env = "gnu"))]
        // SAFETY: as in `new`; malloc_trim only returns free heap memory.
        unsafe {
            libc::mallopt(libc::M_MMAP_THRESHOLD, Self::DEFAULT_THRESHOLD);
            libc::mallopt(libc::M_TRIM_THRESHOLD, Self::DEFAULT_THRESHOLD);
            libc::malloc_trim(0);
        }
    }
}
