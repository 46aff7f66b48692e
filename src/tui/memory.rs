//! What the address book asks of its allocator (mimalloc): when freed pages
//! go back to the system, and no transparent huge pages.

use std::time::Duration;

unsafe extern "C" {
    /// mimalloc (linked by the `mimalloc` crate, the binary's allocator).
    fn mi_collect(force: bool);
    fn mi_option_set(option: i32, value: std::ffi::c_long);
}

/// `mi_option_purge_delay` in mimalloc's `mi_option_e` (mimalloc.h, v3;
/// libmimalloc-sys names 14 and 16 around it).
const MI_OPTION_PURGE_DELAY: i32 = 15;

/// How long mimalloc keeps freed pages before giving them back to the
/// system, while loading (at once: loading frees as much as it keeps) and
/// afterwards (a key frees and refills the previous results; at once, the
/// search line at 1M people takes p99 17-20 ms against 11-14 ms).
const PURGE_DELAY_LOADING_MS: std::ffi::c_long = 0;
const PURGE_DELAY_MS: std::ffi::c_long = 500;

/// The address book holds a large roster for hours: what loading it freed
/// goes back to the system at once (100,000 people: 118 -> 100 MiB
/// resident; 1M: 1.06 -> 0.8 GiB), later frees half a second after.
pub(super) fn purge_freed_memory(loading: bool) {
    let delay = if loading {
        PURGE_DELAY_LOADING_MS
    } else {
        PURGE_DELAY_MS
    };
    // SAFETY: mi_option_set takes no pointers and may be called at any time.
    unsafe { mi_option_set(MI_OPTION_PURGE_DELAY, delay) }
}

/// After this long without a key, what the searches and views freed goes
/// back to the system (a search at a million people frees tens of MiB of
/// hit lists; mimalloc keeps freed pages until asked).
pub(super) const IDLE_TIDY: Duration = Duration::from_secs(1);

/// No transparent huge pages for the address book, which stays open all
/// day. mimalloc asks for them on its arenas, and a 2 MiB page is resident
/// as a whole once one byte of it is touched: at 100,000 people the address
/// book held 81 MiB instead of 67. The kernel checks the flag at every page
/// fault, so it holds for memory mapped before it was set too. (Commands
/// that run and exit keep them: fewer page faults.)
pub(super) fn no_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE takes no pointers; it fails harmlessly on
    // kernels without it.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

/// Loading a large roster frees as much as it keeps (rows read, the
/// preview, the loader thread's heap): hand those pages back to the system
/// rather than keep them resident for the whole session.
pub fn give_back_memory() {
    // SAFETY: mi_collect takes no pointers and may be called at any time;
    // where mimalloc is not the global allocator it only tidies its own
    // (empty) heaps.
    unsafe { mi_collect(true) }
}
