//! The balance report at scale: 100,000 alumni and a 300-person event.
//! Overlap is found through the sorted stint index, not by comparing all pairs.

use std::time::Duration;

use alumni::analytics::report::build;
use alumni::analytics::suggest::suggest;
use alumni::analytics::{Settings, StintIndex};
use alumni::domain::{Event, Invitation, InvitationStatus};
use alumni::store::Store;
use chrono::NaiveDate;
use criterion::{Criterion, criterion_group, criterion_main};

fn report_100k(c: &mut Criterion) {
    let mut store = Store::open_in_memory().expect("store");
    alumni::synth::import_roster(&mut store, 100_000, 3).expect("import");
    let people = store.people().expect("people");
    let today = NaiveDate::from_ymd_opt(2026, 11, 23).expect("date");
    // 300 guests spread over the roster, two thirds of them coming.
    let event = Event {
        id: "e-1".into(),
        name: "Reunion".into(),
        invitations: (0..300)
            .map(|i| Invitation {
                person: people[i * 331].id.to_string(),
                status: if i % 3 == 0 {
                    InvitationStatus::Invited
                } else {
                    InvitationStatus::Accepted
                },
                ..Default::default()
            })
            .collect(),
        ..Default::default()
    };
    let settings = Settings::default();
    let mut group = c.benchmark_group("report");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(10));
    group.bench_function("stint_index_build_100k", |b| {
        b.iter(|| StintIndex::build(&people, today))
    });
    let index = StintIndex::build(&people, today);
    group.bench_function("report_100k_alumni_300_guests", |b| {
        b.iter(|| build(&people, &index, &event, &settings, today))
    });
    group.bench_function("suggest_100k_alumni_300_guests", |b| {
        b.iter(|| suggest(&people, &index, &event, &settings, today, 10))
    });
    group.finish();
}

criterion_group!(benches, report_100k);
criterion_main!(benches);
