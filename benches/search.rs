//! Search as you type: index build (normalizing, or from the store's kept
//! search texts) and per-keystroke ranking over synthetic rosters of 10,000
//! and 100,000 people (set ALUMNI_BENCH_1M=1 for 1,000,000); a whole typed
//! query with incremental narrowing, as the TUI runs it.

use std::time::Duration;

use alumni::search::{Index, Narrowing, Query, search};
use alumni::store::Store;
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};

fn roster(n: usize) -> (Store, Vec<alumni::domain::Person>) {
    let mut store = Store::open_in_memory().expect("store");
    alumni::synth::import_roster(&mut store, n, 7).expect("import");
    let people = store.people().expect("people");
    (store, people)
}

fn bench_search(c: &mut Criterion) {
    let mut sizes = vec![10_000, 100_000];
    if std::env::var_os("ALUMNI_BENCH_1M").is_some() {
        sizes.push(1_000_000);
    }
    let mut group = c.benchmark_group("search");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(5));
    for n in sizes {
        let (store, people) = roster(n);
        group.bench_with_input(BenchmarkId::new("index_build", n), &people, |b, p| {
            b.iter(|| Index::build(p))
        });
        group.bench_function(BenchmarkId::new("index_from_store", n), |b| {
            b.iter(|| {
                store
                    .search_index()
                    .expect("read")
                    .expect("current")
                    .0
                    .len()
            })
        });
        let index = Index::build(&people);
        // Each prefix of a typed query is one keystroke.
        for q in ["t", "ta", "tan", "tanaka", "たなか", "tanaka k"] {
            let query = Query::parse(q);
            group.bench_with_input(
                BenchmarkId::new(format!("keystroke/{q}"), n),
                &query,
                |b, q| b.iter(|| search(q, &index, &people, usize::MAX).len()),
            );
        }
        // Typing key by key: each prefix narrows the previous hits (or who
        // a two-character prefix tracked).
        for typed in ["tanaka", "shota", "たなか"] {
            group.bench_function(
                BenchmarkId::new(format!("typed_with_narrowing/{typed}"), n),
                |b| {
                    b.iter(|| {
                        let mut narrow = Narrowing::default();
                        typed
                            .char_indices()
                            .map(|(at, c)| {
                                let prefix = &typed[..at + c.len_utf8()];
                                narrow.search(&Query::parse(prefix), &index, &people).len()
                            })
                            .sum::<usize>()
                    })
                },
            );
        }
    }
    group.finish();
}

criterion_group!(benches, bench_search);
criterion_main!(benches);
