//! Phase timings for benchmarks: with `ALUMNI_TRACE=1` in the environment,
//! `phase("…")` prints the time since the previous phase and since the
//! first to stderr (`trace: rows written  +312.4 ms  = 501.2 ms`). Without
//! it, a phase costs one relaxed load.

use std::sync::Mutex;
use std::sync::OnceLock;
use std::time::Instant;

fn enabled() -> bool {
    static ON: OnceLock<bool> = OnceLock::new();
    *ON.get_or_init(|| std::env::var_os("ALUMNI_TRACE").is_some_and(|v| v != "0"))
}

/// CPU time so far, in ms, of the whole process or of the calling thread.
fn cpu_ms(thread: bool) -> f64 {
    #[cfg(target_os = "linux")]
    {
        let who = match thread {
            true => libc::RUSAGE_THREAD,
            false => libc::RUSAGE_SELF,
        };
        // SAFETY: getrusage fills the struct it is given.
        let mut u: libc::rusage = unsafe { std::mem::zeroed() };
        if unsafe { libc::getrusage(who, &mut u) } == 0 {
            let ms = |t: libc::timeval| t.tv_sec as f64 * 1e3 + t.tv_usec as f64 / 1e3;
            return ms(u.ru_utime) + ms(u.ru_stime);
        }
    }
    0.0
}

/// Prints this thread's CPU time so far, named `what`.
pub fn thread_cpu(what: &str) {
    if enabled() {
        eprintln!("trace: thread {what}: cpu {:.1} ms", cpu_ms(true));
    }
}

/// Marks the end of a phase named `name`: its wall-clock time, then the
/// CPU time all threads spent in it (more than the wall time where the
/// cores worked side by side; a busy machine lengthens the first, hardly
/// the second).
pub fn phase(name: &str) {
    if !enabled() {
        return;
    }
    static LAST: Mutex<Option<(Instant, Instant, f64)>> = Mutex::new(None);
    let now = Instant::now();
    let cpu = cpu_ms(false);
    let mut last = LAST.lock().unwrap_or_else(|e| e.into_inner());
    let (first, prev, prev_cpu) = last.unwrap_or((now, now, cpu));
    eprintln!(
        "trace: {name:<26} +{:>7.1} ms = {:>7.1} ms   cpu +{:>7.1} ms = {:>7.1} ms",
        (now - prev).as_secs_f64() * 1e3,
        (now - first).as_secs_f64() * 1e3,
        cpu - prev_cpu,
        cpu
    );
    *last = Some((first, now, cpu));
}
