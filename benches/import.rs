//! Import speed: 100,000 synthetic people (about 109,000 CSV rows, returners
//! included) into a fresh store on disk, in one transaction.

use std::time::Duration;

use alumni::import::{Format, Options, import_bytes};
use alumni::store::Store;
use criterion::{Criterion, criterion_group, criterion_main};
use indicatif::ProgressBar;

fn import_100k(c: &mut Criterion) {
    let mut csv = Vec::new();
    alumni::synth::write_csv(100_000, 1, &mut csv).expect("generate");
    let dir = tempfile::tempdir().expect("tempdir");
    let mut group = c.benchmark_group("import");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(20));
    group.bench_function("csv_100k_people_fresh_store", |b| {
        let mut n = 0;
        b.iter(|| {
            n += 1;
            let mut store = Store::open(&dir.path().join(format!("bench-{n}.db"))).expect("open");
            import_bytes(
                &mut store,
                "bench.csv",
                &csv,
                Format::Csv,
                &Options::default(),
                &ProgressBar::hidden(),
            )
            .expect("import")
        })
    });
    let mut store = Store::open(&dir.path().join("again.db")).expect("open");
    let opts = Options::default();
    import_bytes(
        &mut store,
        "bench.csv",
        &csv,
        Format::Csv,
        &opts,
        &ProgressBar::hidden(),
    )
    .expect("import");
    group.bench_function("csv_100k_people_reimport_unchanged", |b| {
        b.iter(|| {
            import_bytes(
                &mut store,
                "bench.csv",
                &csv,
                Format::Csv,
                &opts,
                &ProgressBar::hidden(),
            )
            .expect("import")
        })
    });
    group.finish();
}

criterion_group!(benches, import_100k);
criterion_main!(benches);
